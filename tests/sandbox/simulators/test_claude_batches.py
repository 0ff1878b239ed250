"""Message Batches through the real SDK: submit, poll to ended, stream results, cancel, expire, cache."""

from __future__ import annotations

from typing import Any

import anthropic

from coaching_sandbox.simulators.claude import RunningClaude
from tests.sandbox.simulators.claude_helpers import DIMENSIONS, MODEL, claude_fixtures, dimension_request

running, claude, client = claude_fixtures(api_key="sim")


def _hello(custom_id: str) -> dict[str, Any]:
    params = {"model": MODEL, "max_tokens": 100, "messages": [{"role": "user", "content": "Hello"}]}
    return {"custom_id": custom_id, "params": params}


def test_batch_is_polled_to_ended_and_its_results_streamed(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    batch = client.messages.batches.create(requests=[_hello("call-1"), _hello("call-2")])

    statuses = [batch.processing_status]
    while statuses[-1] != "ended":
        statuses.append(client.messages.batches.retrieve(batch.id).processing_status)
    results = {line.custom_id: line.result for line in client.messages.batches.results(batch.id)}

    assert batch.id.startswith("msgbatch_") and statuses == ["in_progress", "in_progress", "ended"]
    assert set(results) == {"call-1", "call-2"}
    assert all(r.type == "succeeded" and r.message.usage.service_tier == "batch" for r in results.values())


def test_batch_reports_counts_and_timestamps_when_ended(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.batch_polls_to_finish = 0
    created = client.messages.batches.create(requests=[_hello("a"), _hello("b")])

    ended = client.messages.batches.retrieve(created.id)

    assert created.request_counts.processing == 2 and created.results_url is None
    assert ended.request_counts.succeeded == 2 and ended.request_counts.processing == 0
    assert ended.ended_at is not None and ended.expires_at > ended.created_at
    assert ended.results_url is not None and ended.results_url.endswith(f"/{created.id}/results")


def test_batch_requests_share_the_prompt_cache(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.batch_polls_to_finish = 0
    requests = [{"custom_id": d, "params": dimension_request(d)} for d in DIMENSIONS]
    batch = client.messages.batches.create(requests=requests)
    client.messages.batches.retrieve(batch.id)

    usages = [line.result.message.usage for line in client.messages.batches.results(batch.id)]

    assert usages[0].cache_creation_input_tokens > 0
    assert [u.cache_read_input_tokens for u in usages[1:]] == [usages[0].cache_creation_input_tokens] * 3


def test_batch_item_that_breaks_the_version_rules_is_errored(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    claude.sim.batch_polls_to_finish = 0
    bad = _hello("bad")
    bad["params"]["temperature"] = 0.5
    batch = client.messages.batches.create(requests=[_hello("good"), bad])
    client.messages.batches.retrieve(batch.id)

    results = {line.custom_id: line.result for line in client.messages.batches.results(batch.id)}

    assert results["good"].type == "succeeded"
    assert results["bad"].type == "errored" and results["bad"].error.error.type == "invalid_request_error"


def test_batch_cancel_ends_with_requests_canceled(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    batch = client.messages.batches.create(requests=[_hello("a")])

    canceling = client.messages.batches.cancel(batch.id)
    ended = client.messages.batches.retrieve(batch.id)

    assert canceling.processing_status == "canceling" and canceling.cancel_initiated_at is not None
    assert ended.processing_status == "ended" and ended.request_counts.canceled == 1


def test_batch_expires_after_24_hours_unprocessed(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    batch = client.messages.batches.create(requests=[_hello("a")])

    claude.sim.advance(24 * 3600 + 1)
    ended = client.messages.batches.retrieve(batch.id)

    assert ended.processing_status == "ended" and ended.request_counts.expired == 1


def test_batch_survives_a_new_client_process(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    batch_id = client.messages.batches.create(requests=[_hello("a")]).id

    fresh = claude.client()
    fresh.messages.batches.retrieve(batch_id)
    ended = fresh.messages.batches.retrieve(batch_id)

    assert ended.processing_status == "ended"


def test_batch_list_returns_most_recent_first(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    first = client.messages.batches.create(requests=[_hello("a")]).id
    second = client.messages.batches.create(requests=[_hello("b")]).id

    listed = [batch.id for batch in client.messages.batches.list(limit=10)]

    assert listed == [second, first]


def test_batch_errors_fault_marks_items_errored(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.batch_polls_to_finish = 0
    claude.sim.faults.batch_errors = 1
    batch = client.messages.batches.create(requests=[_hello("a"), _hello("b")])
    client.messages.batches.retrieve(batch.id)

    types = [line.result.type for line in client.messages.batches.results(batch.id)]

    assert types == ["errored", "succeeded"]
