"""Prompt-caching accounting: write once then read, TTL expiry and refresh, the minimum cacheable length."""

from __future__ import annotations

import anthropic

from coaching_sandbox.simulators.claude import RunningClaude
from tests.sandbox.simulators.claude_helpers import (
    DIMENSIONS,
    MODEL,
    analysis_schema,
    claude_fixtures,
    dimension_request,
)

running, claude, client = claude_fixtures()


def test_cache_written_once_then_read_by_the_other_three_dimensions(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:

    usages = [client.messages.create(**dimension_request(d)).usage for d in DIMENSIONS]

    writes = [u.cache_creation_input_tokens for u in usages]
    reads = [u.cache_read_input_tokens for u in usages]
    assert writes[0] > 1024 and writes[1:] == [0, 0, 0]
    assert reads == [0, writes[0], writes[0], writes[0]]
    assert all(0 < u.input_tokens < 50 for u in usages)
    assert usages[0].cache_creation is not None
    assert usages[0].cache_creation.ephemeral_5m_input_tokens == writes[0]


def test_cache_expires_after_its_ttl_and_is_written_again(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    first = client.messages.create(**dimension_request("discovery")).usage

    claude.sim.advance(301)
    again = client.messages.create(**dimension_request("engagement")).usage

    assert again.cache_read_input_tokens == 0
    assert again.cache_creation_input_tokens == first.cache_creation_input_tokens


def test_cache_hit_refreshes_the_ttl(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    client.messages.create(**dimension_request("discovery"))
    claude.sim.advance(240)
    client.messages.create(**dimension_request("engagement"))

    claude.sim.advance(240)
    usage = client.messages.create(**dimension_request("objection_handling")).usage

    assert usage.cache_read_input_tokens > 0 and usage.cache_creation_input_tokens == 0


def test_cache_one_hour_ttl_outlives_five_minutes(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    first = client.messages.create(**dimension_request("discovery", ttl="1h")).usage

    claude.sim.advance(1_800)
    usage = client.messages.create(**dimension_request("engagement", ttl="1h")).usage

    assert first.cache_creation is not None
    assert first.cache_creation.ephemeral_1h_input_tokens == first.cache_creation_input_tokens
    assert usage.cache_read_input_tokens == first.cache_creation_input_tokens


def test_cache_reads_the_shared_prefix_when_only_the_transcript_differs(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    first = client.messages.create(**dimension_request("discovery")).usage

    other = client.messages.create(**dimension_request("discovery", transcript="[00:01] Ann (rep): Hi.")).usage

    assert 1024 < other.cache_read_input_tokens < first.cache_creation_input_tokens
    assert other.cache_creation_input_tokens > 0


def test_prefix_below_the_minimum_cacheable_length_is_not_cached(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    request = {
        "model": MODEL,
        "max_tokens": 100,
        "system": [{"type": "text", "text": "Short instructions.", "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": "Hello"}],
    }

    usages = [client.messages.create(**request).usage for _ in range(2)]

    assert all(u.cache_creation_input_tokens == 0 and u.cache_read_input_tokens == 0 for u in usages)


def test_request_log_records_breakpoints_and_usage(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    client.messages.create(**dimension_request("discovery"))

    entry = claude.sim.logged()[-1]

    assert entry.body["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    assert entry.body["messages"][0]["content"][0]["cache_control"]["type"] == "ephemeral"
    assert entry.status == 200 and entry.usage is not None and entry.usage.cache_creation_input_tokens > 0


def test_cache_misses_when_the_output_schema_changes(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    client.messages.create(**dimension_request("discovery"))
    other = dimension_request("engagement")
    other["output_config"]["format"]["schema"] = analysis_schema(["talk_ratio", "next_steps"])

    usage = client.messages.create(**other).usage

    assert usage.cache_read_input_tokens == 0 and usage.cache_creation_input_tokens > 0
