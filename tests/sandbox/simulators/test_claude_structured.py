"""Structured output: replies validate against the request's schema and quote the transcript verbatim."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import jsonschema
import pytest

from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.transcripts.models import SpeakerRole
from coaching_pipeline.transcripts.render import parse_rendered_line
from coaching_sandbox.simulators.claude import RunningClaude
from coaching_sandbox.simulators.claude_content import TranscriptView
from coaching_sandbox.simulators.claude_schema import InstanceGenerator
from tests.sandbox.simulators.claude_helpers import (
    MODEL,
    analysis_schema,
    claude_fixtures,
    dimension_request,
    transcript_text,
)

running, claude, client = claude_fixtures()


def _analysis(client: anthropic.Anthropic, request: dict[str, Any]) -> dict[str, Any]:
    message = client.messages.create(**request)
    return json.loads(message.content[0].text)


def test_structured_output_validates_against_the_request_schema(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    request = dimension_request("discovery")

    analysis = _analysis(client, request)

    jsonschema.validate(analysis, request["output_config"]["format"]["schema"])
    parsed = DimensionAnalysis.model_validate(analysis)
    assert parsed.dimension == "discovery"
    assert all(1 <= score.score <= 5 for score in parsed.criterion_scores)


def test_structured_output_quotes_are_verbatim_with_their_speaker_and_time(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    lines = [line for line in map(parse_rendered_line, transcript_text().splitlines()) if line is not None]

    evidence = _analysis(client, dimension_request("objection_handling"))["evidence"]

    assert evidence
    for item in evidence:
        source = [line for line in lines if item["quote"] in line.text]
        assert source, f"not verbatim: {item['quote']!r}"
        assert (source[0].name, float(source[0].seconds)) == (item["speaker"], item["start_seconds"])


def test_structured_output_prefers_rep_lines_for_evidence(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    lines = [line for line in map(parse_rendered_line, transcript_text().splitlines()) if line is not None]
    rep_names = {line.name for line in lines if line.role == SpeakerRole.REP}

    evidence = _analysis(client, dimension_request("discovery"))["evidence"]

    assert {item["speaker"] for item in evidence} <= rep_names


def test_structured_output_uses_criterion_enum_values_in_order(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    criteria = ["situation", "pain", "impact", "decision_process"]
    request = dimension_request("discovery")
    request["output_config"]["format"]["schema"] = analysis_schema(criteria)

    scores = _analysis(client, request)["criterion_scores"]

    assert [score["criterion_id"] for score in scores] == criteria


def test_structured_output_is_deterministic_for_a_transcript(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    first = _analysis(client, dimension_request("engagement"))
    second = _analysis(client, dimension_request("engagement"))

    assert first == second


def test_schema_generator_satisfies_refs_unions_consts_and_bounds() -> None:
    schema = {
        "$defs": {"Level": {"type": "integer", "minimum": 2, "maximum": 4}},
        "type": "object",
        "properties": {
            "kind": {"const": "analysis"},
            "level": {"$ref": "#/$defs/Level"},
            "ratio": {"type": "number", "minimum": 0.5, "maximum": 0.75},
            "label": {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 30, "maxLength": 40}]},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "minItems": 3, "maxItems": 4},
            "flags": {"type": "array", "items": {"type": "boolean"}, "maxItems": 1},
            "nested": {
                "type": ["object", "null"],
                "properties": {"n": {"type": "integer"}},
                "required": ["n"],
            },
        },
        "required": ["kind", "level", "ratio", "label", "tags", "flags", "nested"],
        "additionalProperties": False,
    }

    instance = InstanceGenerator(schema, TranscriptView("", None), None, []).generate()

    jsonschema.validate(instance, schema)


def test_messages_parse_returns_a_parsed_pydantic_model(claude: RunningClaude, client: anthropic.Anthropic) -> None:
    text = transcript_text() + "\nScore the product_knowledge dimension."

    message = client.messages.parse(
        model=MODEL,
        max_tokens=4_000,
        messages=[{"role": "user", "content": text}],
        output_format=DimensionAnalysis,
    )

    assert message.parsed_output is not None
    assert message.parsed_output.dimension == "product_knowledge"


def test_structured_output_with_an_unresolvable_ref_is_a_bad_request(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    request = dimension_request("discovery")
    request["output_config"]["format"]["schema"] = {
        "type": "object",
        "properties": {"x": {"$ref": "#/$defs/Nope"}},
    }

    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(**request)


def test_structured_output_scores_only_the_criteria_the_ask_names(
    claude: RunningClaude, client: anthropic.Anthropic
) -> None:
    request = dimension_request("engagement")
    request["output_config"]["format"]["schema"] = analysis_schema(["situation", "pain", "talk_ratio", "next_steps"])
    request["messages"][0]["content"][-1]["text"] = "Score the engagement dimension on talk_ratio and next_steps."

    scores = _analysis(client, request)["criterion_scores"]

    assert [score["criterion_id"] for score in scores] == ["talk_ratio", "next_steps"]
