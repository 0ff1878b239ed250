"""Acceptance: an out-of-range or malformed Claude reply is rejected, repaired once, and never stored."""

from __future__ import annotations

import json

import psycopg
import pytest

from coaching_pipeline.analysis.claude.replies import parse_reply
from coaching_pipeline.knowledge.models import Dimension
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import claude, claude_engine, insert_call, messages, new_date

__all__ = ["claude"]

KINDS = ["out_of_range", "missing_criterion", "extra_prose", "invalid_json", "schema_violation"]
GOOD = {
    "dimension": "discovery",
    "criterion_scores": [
        {"criterion_id": "situation", "score": 4, "rationale": "Asked how they run pipelines."},
        {"criterion_id": "pain", "score": 3, "rationale": "Found the on-call cost."},
    ],
    "overall_score": 3.5,
}
CRITERIA = {"situation", "pain"}


def _cached(db: psycopg.Connection, call_id: str) -> int:
    return db.execute(
        "select count(*) as n from coaching.analysis_cache as a join raw.transcripts as t"
        " on t.sha256 = a.transcript_sha256 where t.call_id = %s",
        (call_id,),
    ).fetchone()["n"]


def _stored(db: psycopg.Connection, call_id: str) -> int:
    return db.execute("select count(*) as n from coaching.call_analyses where call_id = %s", (call_id,)).fetchone()["n"]


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        (
            {**GOOD, "criterion_scores": [{**GOOD["criterion_scores"][0], "score": 7}, GOOD["criterion_scores"][1]]},
            "less than or equal to 5",
        ),
        (
            {**GOOD, "criterion_scores": [{**GOOD["criterion_scores"][0], "score": 0}, GOOD["criterion_scores"][1]]},
            "greater than or equal to 1",
        ),
        ({**GOOD, "overall_score": 9.5}, "less than or equal to 5"),
        ({**GOOD, "criterion_scores": GOOD["criterion_scores"][:1]}, "missing: pain"),
        ({**GOOD, "criterion_scores": [*GOOD["criterion_scores"], GOOD["criterion_scores"][0]]}, "each criterion once"),
        ({k: v for k, v in GOOD.items() if k != "overall_score"}, "overall_score"),
    ],
    ids=["score_7", "score_0", "overall_9_5", "missing_criterion", "criterion_twice", "missing_field"],
)
def test_parse_reply_rejects_scores_outside_the_rubric_and_incomplete_replies(reply: dict, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_reply(json.dumps(reply), Dimension.DISCOVERY, CRITERIA)


@pytest.mark.parametrize(
    "text",
    [
        f"Here is my analysis:\n{json.dumps(GOOD)}",
        f"```json\n{json.dumps(GOOD)}\n```",
        f"{json.dumps(GOOD)}\nLet me know if you need more.",
        "I'm sorry, I can't score this call.",
        "",
    ],
    ids=["prose_before", "code_fence", "prose_after", "refusal", "empty"],
)
def test_parse_reply_rejects_anything_but_one_json_object(text: str) -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_reply(text, Dimension.DISCOVERY, CRITERIA)


@pytest.mark.parametrize("kind", KINDS)
def test_engine_never_stores_a_reply_that_stays_malformed_after_the_repair(
    database_url: str, db: psycopg.Connection, claude: RunningClaude, kind: str
) -> None:
    call_id = insert_call(db, new_date())
    claude.sim.faults.malformed, claude.sim.faults.malformed_kind = 2, kind
    report = claude_engine(database_url, claude).analyze_calls([call_id], [Dimension.DISCOVERY])
    failure = db.execute(
        "select status from coaching.analysis_failures where call_id = %s and dimension = 'discovery'", (call_id,)
    ).fetchone()
    assert (report.failures, report.calls_analysed, len(messages(claude))) == (1, 0, 2)
    assert failure["status"] == "failed" and _stored(db, call_id) == 0
    assert _cached(db, call_id) == 0


@pytest.mark.parametrize("kind", ["out_of_range", "missing_criterion", "extra_prose"])
def test_engine_stores_only_the_repaired_reply(
    database_url: str, db: psycopg.Connection, claude: RunningClaude, kind: str
) -> None:
    call_id = insert_call(db, new_date())
    claude.sim.faults.malformed, claude.sim.faults.malformed_kind = 1, kind
    report = claude_engine(database_url, claude).analyze_calls([call_id], [Dimension.DISCOVERY])
    row = db.execute("select criterion_scores from coaching.call_analyses where call_id = %s", (call_id,)).fetchone()
    assert report.calls_analysed == 1 and len(messages(claude)) == 2 and _cached(db, call_id) == 1
    assert sorted(c["criterion_id"] for c in row["criterion_scores"]) == sorted(CRITERIA)
    assert all(1 <= c["score"] <= 5 for c in row["criterion_scores"])
