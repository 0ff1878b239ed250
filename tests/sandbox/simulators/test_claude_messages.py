"""The Messages endpoint as the real anthropic SDK sees it: shapes, version rules, auth, headers, counting."""

from __future__ import annotations

import anthropic
import httpx
import pytest

from coaching_sandbox.simulators.claude import RunningClaude
from tests.sandbox.simulators.claude_helpers import MODEL, claude_fixtures

HELLO = {"model": MODEL, "max_tokens": 200, "messages": [{"role": "user", "content": "Hello there"}]}


running, claude, client = claude_fixtures(api_key="sim")


def test_messages_create_returns_assistant_text_message(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    message = client.messages.create(**HELLO)

    assert message.id.startswith("msg_")
    assert message.role == "assistant" and message.model == MODEL
    assert message.content[0].type == "text" and message.content[0].text
    assert message.stop_reason == "end_turn" and message.stop_sequence is None
    assert message.usage.input_tokens > 0 and message.usage.output_tokens > 0
    assert message.usage.cache_creation_input_tokens == 0 and message.usage.cache_read_input_tokens == 0
    assert message.usage.service_tier == "standard"


def test_messages_create_rejects_temperature_on_version_2026_10_21(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(**HELLO, extra_body={"temperature": 1.0})

    assert caught.value.type == "invalid_request_error"
    assert "temperature" in (caught.value.api_message or "")


def test_messages_create_accepts_temperature_on_version_2023_06_01(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    client = claude.client(default_headers={"anthropic-version": "2023-06-01"})

    message = client.messages.create(**HELLO, extra_body={"temperature": 0.2})

    assert message.stop_reason == "end_turn"
    assert claude.sim.request_log[-1].headers["anthropic-version"] == "2023-06-01"


def test_messages_create_authenticates_with_bearer_token(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    client.messages.create(**HELLO)

    assert claude.sim.request_log[-1].headers["auth"] == "bearer"


def test_messages_create_rejects_a_wrong_key(claude: RunningClaude) -> None:
    with pytest.raises(anthropic.AuthenticationError):
        claude.client(api_key="not-the-key").messages.create(**HELLO)


def test_messages_create_requires_the_version_header(claude: RunningClaude) -> None:
    response = httpx.post(f"{claude.base_url}/v1/messages", json=HELLO, headers={"x-api-key": "sim"})

    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert response.json()["request_id"] == response.headers["request-id"]


def test_messages_create_unknown_model_is_not_found(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.NotFoundError) as caught:
        client.messages.create(**{**HELLO, "model": "claude-imaginary-9"})

    assert caught.value.type == "not_found_error"


def test_messages_create_requires_messages(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(**{**HELLO, "messages": []})


def test_messages_create_rejects_more_than_four_cache_breakpoints(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    system = [{"type": "text", "text": f"part {i}", "cache_control": {"type": "ephemeral"}} for i in range(5)]

    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(**HELLO, system=system)

    assert "maximum of 4" in (caught.value.api_message or "")


def test_messages_response_carries_request_id_and_rate_limit_headers(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    raw = client.messages.with_raw_response.create(**HELLO)

    assert raw.headers["request-id"].startswith("req_")
    for family in ("requests", "tokens", "input-tokens", "output-tokens"):
        assert int(raw.headers[f"anthropic-ratelimit-{family}-limit"]) > 0
        assert f"anthropic-ratelimit-{family}-remaining" in raw.headers
        assert raw.headers[f"anthropic-ratelimit-{family}-reset"].endswith("Z")


def test_messages_create_stops_at_max_tokens(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    message = client.messages.create(**{**HELLO, "max_tokens": 3})

    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens <= 3


def test_count_tokens_equals_the_input_a_message_is_billed(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    counted = client.messages.count_tokens(model=MODEL, messages=HELLO["messages"])

    usage = client.messages.create(**HELLO).usage

    total = usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens
    assert counted.input_tokens == total


def test_messages_stream_accumulates_the_same_message_shape(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    with client.messages.stream(**HELLO) as stream:
        message = stream.get_final_message()

    assert message.content[0].type == "text" and message.content[0].text.startswith("Coaching note")
    assert message.stop_reason == "end_turn" and message.usage.output_tokens > 1


def test_tool_use_input_matches_a_strict_tool_schema(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    tool = {
        "name": "record_score",
        "description": "Record one criterion score.",
        "strict": True,
        "input_schema": {
            "type": "object",
            "properties": {"criterion_id": {"type": "string"}, "score": {"type": "integer"}},
            "required": ["criterion_id", "score"],
            "additionalProperties": False,
        },
    }

    message = client.messages.create(**HELLO, tools=[tool], tool_choice={"type": "auto"})

    block = message.content[0]
    assert message.stop_reason == "tool_use" and block.type == "tool_use"
    assert block.name == "record_score" and set(block.input) == {"criterion_id", "score"}
    assert 1 <= int(block.input["score"]) <= 5
