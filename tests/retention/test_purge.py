"""purge_expired on hand-made rows: the window's edge, the keep-evidence setting, parties and raw payloads."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import psycopg
import pytest
from psycopg.types.json import Jsonb

from coaching_pipeline.retention.purge import cutoff_for, purge_expired
from tests.analysis.support import insert_call

TODAY = date(2031, 6, 30)
EVIDENCE = [{"quote": "walk me through", "speaker": "Riley Rep", "start_seconds": 0, "verified": True}]


def _seed(db: psycopg.Connection, call_date: date) -> str:
    call_id = insert_call(db, call_date)
    db.execute(
        "update raw.calls set payload = %s where call_id = %s",
        (Jsonb({"metaData": {"id": call_id}, "content": {"brief": "secret plans"}}), call_id),
    )
    db.execute(
        "insert into raw.call_participants (call_id, party_id, name, email, affiliation) values "
        "(%s, 'p1', 'Casey Customer', 'casey@acme.example', 'External'), (%s, 'p2', 'Riley Rep', null, 'Internal')",
        (call_id, call_id),
    )
    db.execute(
        "insert into coaching.call_analyses (call_id, dimension, rubric_version, prompt_version, model, analyzer, "
        "cache_key, transcript_sha256, call_date, overall_score, criterion_scores, evidence, evidence_count) "
        "values (%s, 'discovery', 'v1', 'p', 'm', 'offline', 'k', 's', %s, 3, '[]', %s, 1)",
        (call_id, call_date, Jsonb(EVIDENCE)),
    )
    return call_id


@pytest.fixture(scope="module")
def db(isolated_database_url: str):  # type: ignore[no-untyped-def]
    with psycopg.connect(isolated_database_url, autocommit=True, row_factory=psycopg.rows.dict_row) as conn:
        yield conn


def test_cutoff_keeps_exactly_the_last_n_days() -> None:
    assert cutoff_for(TODAY, 1) == TODAY
    assert cutoff_for(TODAY, 30) == TODAY - timedelta(days=29)


def test_purge_keeps_evidence_when_configured_and_strips_the_rest(isolated_database_url: str, db) -> None:  # type: ignore[no-untyped-def]
    old = _seed(db, TODAY - timedelta(days=30))
    edge = _seed(db, TODAY - timedelta(days=29))
    report = purge_expired(
        isolated_database_url, today=TODAY, retention_days=30, keep_evidence=True, tz=UTC, triggered_by="test"
    )
    assert report.kept_evidence and "coaching.call_analyses" not in report.rows_affected
    assert "marts.call_scores" not in report.rows_affected  # dbt has not built this database's marts
    calls = {r["call_id"]: r for r in db.execute("select * from raw.calls where call_id in (%s, %s)", (old, edge))}
    assert (calls[old]["transcript_status"], calls[old]["payload"]) == ("purged", {"metaData": {"id": old}})
    assert calls[edge]["transcript_status"] == "ready" and "content" in calls[edge]["payload"]
    parties = db.execute("select name, email from raw.call_participants where call_id = %s order by party_id", (old,))
    assert parties.fetchall() == [{"name": None, "email": None}, {"name": "Riley Rep", "email": None}]
    evidence = db.execute("select evidence from coaching.call_analyses where call_id = %s", (old,)).fetchone()
    assert evidence["evidence"] == EVIDENCE
    transcript = db.execute("select normalized, purged_at from raw.transcripts where call_id = %s", (old,)).fetchone()
    assert transcript["normalized"] == {} and transcript["purged_at"] is not None
