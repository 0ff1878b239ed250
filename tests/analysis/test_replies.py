"""Reply validation and the repair request, the prompt's cache layout inputs, and the long-call merge."""

from __future__ import annotations

import json

import pytest

from coaching_pipeline.analysis.claude import prompt
from coaching_pipeline.analysis.claude.replies import parse_reply, repair_params
from coaching_pipeline.analysis.engine.cache import CacheKey
from coaching_pipeline.analysis.longcalls import merge
from coaching_pipeline.analysis.models import CriterionScore, DimensionAnalysis
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension
from tests.analysis.support import KNOWLEDGE, RUBRICS, transcript

REPLY = {
    "dimension": "discovery",
    "criterion_scores": [
        {"criterion_id": "situation", "score": 4, "rationale": "Good."},
        {"criterion_id": "talk_ratio", "score": 2, "rationale": "Other dimension."},
    ],
    "overall_score": 4,
    "evidence": [{"quote": "walk me through", "speaker": "Riley Rep", "start_seconds": 0, "verified": True}],
}


def test_parse_reply_drops_criteria_of_other_dimensions_and_resets_verified() -> None:
    analysis = parse_reply(json.dumps(REPLY), Dimension.DISCOVERY, {"situation"})
    assert [c.criterion_id for c in analysis.criterion_scores] == ["situation"]
    assert analysis.evidence[0].verified is False


def test_parse_reply_rejects_the_wrong_dimension() -> None:
    with pytest.raises(ValueError, match="dimension"):
        parse_reply(json.dumps(REPLY), Dimension.ENGAGEMENT, {"talk_ratio"})


def test_parse_reply_rejects_truncated_json() -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_reply(json.dumps(REPLY)[:40], Dimension.DISCOVERY, {"situation"})


def test_repair_params_append_the_bad_reply_and_the_error() -> None:
    params = {"messages": [{"role": "user", "content": "ask"}], "model": "m"}
    repaired = repair_params(params, "{bad", ValueError("not JSON"), Dimension.DISCOVERY)
    assert [m["role"] for m in repaired["messages"]] == ["user", "assistant", "user"]
    assert "not JSON" in repaired["messages"][2]["content"][0]["text"] and params["messages"] != repaired["messages"]


def _request(dimension: Dimension) -> AnalysisRequest:
    return AnalysisRequest(
        transcript=transcript("call-p"), dimension=dimension, rubric=RUBRICS[dimension], knowledge=KNOWLEDGE
    )


def test_prompt_system_and_schema_are_identical_across_dimensions() -> None:
    built = [prompt.build_params(_request(d), RUBRICS, model="m", max_tokens=10) for d in Dimension]
    assert len({json.dumps(p["system"]) for p in built}) == 1
    assert len({json.dumps(p["output_config"]) for p in built}) == 1
    assert len({p["messages"][0]["content"][0]["text"] for p in built}) == 1


def test_prompt_schema_hides_verified_and_enumerates_criteria() -> None:
    schema = prompt.output_schema(RUBRICS)
    evidence = schema["$defs"]["Evidence"]["properties"]
    assert "verified" not in evidence
    assert "situation" in schema["$defs"]["CriterionScore"]["properties"]["criterion_id"]["enum"]


def test_prompt_version_comes_from_front_matter() -> None:
    assert prompt.prompt_version(Dimension.DISCOVERY) == "v2+v1"


def test_cache_key_changes_with_every_component() -> None:
    base = CacheKey(transcript_sha256="t", dimension="d", rubric_version="v1", prompt_version="p", model="m")
    variants = [base.model_copy(update={field: "x"}) for field in CacheKey.model_fields]
    assert len({base.digest, *(v.digest for v in variants)}) == len(CacheKey.model_fields) + 1


def test_merge_weights_scores_by_chunk_tokens() -> None:
    def part(score: int, overall: float, strength: str) -> DimensionAnalysis:
        return DimensionAnalysis(
            dimension=Dimension.DISCOVERY,
            criterion_scores=[CriterionScore(criterion_id="pain", score=score, rationale="r")],
            overall_score=overall,
            strengths=[strength],
        )

    merged = merge([(part(5, 5.0, "Asked well."), 300), (part(1, 1.0, "asked well"), 100)])
    assert merged.criterion_scores[0].score == 4 and merged.overall_score == 4.0
    assert merged.strengths == ["Asked well."]
