"""Injected failures surface through the real SDK exactly as the API's would."""

from __future__ import annotations

import json
import time

import anthropic
import jsonschema
import pytest

from coaching_sandbox.simulators.claude import RunningClaude
from tests.sandbox.simulators.claude_helpers import MODEL, claude_fixtures, dimension_request

HELLO = {"model": MODEL, "max_tokens": 200, "messages": [{"role": "user", "content": "Hello there"}]}


running, claude, client = claude_fixtures()


def test_rate_limit_is_retried_by_the_sdk_after_retry_after(claude: RunningClaude) -> None:
    claude.sim.faults.rate_limited = 1
    claude.sim.faults.retry_after = 0.05

    message = claude.client(max_retries=1).messages.create(**HELLO)

    logged = claude.sim.logged()
    assert message.stop_reason == "end_turn"
    assert [entry.status for entry in logged] == [429, 200]
    assert [entry.headers["x-stainless-retry-count"] for entry in logged] == ["0", "1"]


def test_rate_limit_carries_the_configured_retry_after(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.faults.rate_limited = 1
    claude.sim.faults.retry_after = 7

    with pytest.raises(anthropic.RateLimitError) as caught:
        client.messages.create(**HELLO)

    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.type == "rate_limit_error"


def test_overloaded_surfaces_as_overloaded_error(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.faults.overloaded = 1

    with pytest.raises(anthropic.OverloadedError) as caught:
        client.messages.create(**HELLO)

    assert caught.value.status_code == 529 and caught.value.type == "overloaded_error"


def test_server_error_surfaces_as_internal_server_error(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.faults.server_errors = 1

    with pytest.raises(anthropic.InternalServerError) as caught:
        client.messages.create(**HELLO)

    assert caught.value.status_code == 500 and caught.value.type == "api_error"


def test_fault_counters_are_consumed_one_per_request(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.faults.server_errors = 1
    with pytest.raises(anthropic.InternalServerError):
        client.messages.create(**HELLO)

    message = client.messages.create(**HELLO)

    assert message.stop_reason == "end_turn" and claude.sim.faults.server_errors == 0


def test_spend_limit_has_an_error_code_and_no_retry_after(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.faults.spend_limit = True

    with pytest.raises(anthropic.RateLimitError) as caught:
        client.messages.create(**HELLO)

    assert caught.value.error_code == "enforced_spend_limit_reached"
    assert "retry-after" not in caught.value.response.headers


def test_malformed_replies_alternate_invalid_json_and_schema_violations(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    claude.sim.faults.malformed = 2
    request = dimension_request("discovery")
    schema = request["output_config"]["format"]["schema"]

    broken, violating, healthy = (client.messages.create(**request).content[0].text for _ in range(3))

    with pytest.raises(json.JSONDecodeError):
        json.loads(broken)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(violating), schema)
    jsonschema.validate(json.loads(healthy), schema)


def test_slow_replies_time_out_a_short_client_timeout(claude: RunningClaude) -> None:
    claude.sim.faults.slow_seconds = 0.5

    with pytest.raises(anthropic.APITimeoutError), claude.client(timeout=0.1) as impatient:
        impatient.messages.create(**HELLO)

    _wait_until_logged(claude, 1)


def _wait_until_logged(claude: RunningClaude, count: int) -> None:
    """The server finishes a request the client gave up on; let it land before the next test resets state."""
    deadline = time.monotonic() + 10
    while len(claude.sim.request_log) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_enforced_rate_limit_answers_429_once_the_minute_is_spent(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    claude.sim.enforce_rate_limits = True
    claude.sim.requests_per_minute = 1
    client.messages.create(**HELLO)

    with pytest.raises(anthropic.RateLimitError) as caught:
        client.messages.create(**HELLO)

    assert 1 <= int(caught.value.response.headers["retry-after"]) <= 60


def test_rate_limit_omits_retry_after_when_configured_none(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    claude.sim.faults.rate_limited = 1
    claude.sim.faults.retry_after = None

    with pytest.raises(anthropic.RateLimitError) as caught:
        client.messages.create(**HELLO)

    assert "retry-after" not in caught.value.response.headers
