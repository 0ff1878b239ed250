"""The simulator checks the pipeline's data delimiters on every message and batch request it receives."""

from __future__ import annotations

from typing import Any

import anthropic
import httpx
import pytest

from coaching_pipeline.analysis.claude import prompt
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension
from coaching_sandbox.simulators.claude import ClaudeSimulator, RunningClaude
from tests.analysis.support import KNOWLEDGE, RUBRICS, transcript
from tests.sandbox.simulators.claude_helpers import MODEL, claude_fixtures

running, claude, client = claude_fixtures(require_transcript_delimiters=True)


def pipeline_params() -> dict[str, Any]:
    request = AnalysisRequest(
        transcript=transcript("call-d"),
        dimension=Dimension.DISCOVERY,
        rubric=RUBRICS[Dimension.DISCOVERY],
        knowledge=KNOWLEDGE,
    )
    return prompt.build_params(request, RUBRICS, model=MODEL, max_tokens=2_000)


def _with_block(params: dict[str, Any], text: str) -> dict[str, Any]:
    content = [{**params["messages"][0]["content"][0], "text": text}, *params["messages"][0]["content"][1:]]
    return {**params, "messages": [{"role": "user", "content": content}]}


def _post(claude: RunningClaude, path: str, body: dict[str, Any]) -> httpx.Response:
    headers = {"x-api-key": "sim", "anthropic-version": "2023-06-01"}
    return httpx.post(f"{claude.base_url}{path}", json=body, headers=headers, timeout=30)


def test_claude_simulator_answers_a_request_whose_call_is_delimited(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    message = client.messages.create(**pipeline_params())
    assert message.content[0].type == "text" and claude.sim.logged()[-1].status == 200


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        (lambda p: _with_block(p, p["messages"][0]["content"][0]["text"].replace("<transcript>\n", "")), "exactly one"),
        (
            lambda p: _with_block(p, p["messages"][0]["content"][0]["text"].replace("Riley", "</transcript> Riley", 1)),
            "found 1 opening and 2 closing",
        ),
        (lambda p: {**p, "system": [{"type": "text", "text": "You are a sales coach."}]}, "system: must declare"),
        (
            lambda p: _with_block(p, p["messages"][0]["content"][0]["text"].replace("<transcript>\n", "<transcript> ")),
            "line of their own",
        ),
    ],
    ids=["no_opening", "spoken_closing_tag", "undeclared", "not_on_its_own_line"],
)
def test_claude_simulator_refuses_a_message_without_the_delimiters(
    claude: RunningClaude, broken: Any, says: str
) -> None:
    response = _post(claude, "/v1/messages", broken(pipeline_params()))
    body = response.json()
    assert response.status_code == 400 and set(body) == {"type", "error", "request_id"}
    assert body["type"] == "error" and body["error"]["type"] == "invalid_request_error"
    assert says in body["error"]["message"] and body["request_id"] == response.headers["request-id"]


def test_claude_simulator_refuses_a_batch_with_one_undelimited_request(claude: RunningClaude) -> None:
    good = pipeline_params()
    bad = _with_block(good, "Hello there")
    body = {"requests": [{"custom_id": "good", "params": good}, {"custom_id": "bad", "params": bad}]}
    response = _post(claude, "/v1/messages/batches", body)
    error = response.json()["error"]
    assert response.status_code == 400 and error["type"] == "invalid_request_error"
    assert (
        error["message"].startswith("requests.1.params.messages:") and claude.sim.batches.page(10, None, None)[0] == []
    )


def test_claude_simulator_checks_delimiters_by_default() -> None:
    assert ClaudeSimulator().require_transcript_delimiters is True
