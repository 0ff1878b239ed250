"""Retention after a real run: old transcript text is gone from every table, scores and marts are unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coaching_pipeline.retention.purge import purge_expired
from coaching_pipeline.warehouse.db import connect
from tests.security.conftest import RETENTION_DAYS, SecuredRun
from tests.security.support import NEW_MARKER, OLD_MARKER, columns_containing


def test_retention_leaves_no_old_transcript_text_in_any_table(secured_run: SecuredRun) -> None:
    assert {
        "raw.transcripts.payload",
        "raw.transcripts.normalized",
        "raw.transcript_chunks.body",
        "raw.calls.payload",
        "raw.gong_webhook_events.body",
        "coaching.call_analyses.evidence",
        "coaching.analysis_cache.result",
        "marts.call_scores.evidence",
    } <= set(secured_run.old_text_before_purge)
    assert columns_containing(secured_run.url, OLD_MARKER) == []
    kept = columns_containing(secured_run.url, NEW_MARKER)
    assert {"raw.transcripts.normalized", "raw.transcript_chunks.body", "raw.gong_webhook_events.body"} <= set(kept)


def test_retention_keeps_scores_stats_and_marts(secured_run: SecuredRun) -> None:
    assert len(secured_run.before["analyses"]) == 16  # 4 calls x 4 dimensions
    assert secured_run.before["marts.call_scores"]
    assert secured_run.after == secured_run.before


def test_retention_marks_calls_purged_and_records_the_purge(secured_run: SecuredRun) -> None:
    with connect(secured_run.url) as conn:
        statuses = {
            (r["call_date"], r["transcript_status"])
            for r in conn.execute("select call_date, transcript_status from raw.calls")
        }
        audit = conn.execute("select * from coaching.retention_purges order by purge_id").fetchall()
    assert statuses == {(secured_run.old_day, "purged"), (secured_run.new_day, "ready")}
    assert len(audit) == 1
    purge = audit[0]
    purged_on = purge["started_at"].astimezone(UTC).date()  # not today: the run may have been before midnight
    assert purge["cutoff_date"] == purged_on - timedelta(days=RETENTION_DAYS - 1)
    assert (purge["triggered_by"], purge["kept_evidence"], purge["run_id"] is not None) == (
        "dagster manual run",
        False,
        True,
    )
    affected = purge["rows_affected"]
    assert affected["raw.transcripts"] == 2 and affected["raw.transcript_chunks"] >= 2
    assert affected["coaching.call_analyses"] > 0 and affected["raw.gong_webhook_events"] == 1


def test_retention_purge_again_changes_nothing(secured_run: SecuredRun) -> None:
    report = purge_expired(
        secured_run.url,
        today=datetime.now(UTC).date(),
        retention_days=RETENTION_DAYS,
        keep_evidence=False,
        tz=UTC,
        triggered_by="test",
    )
    assert report.total == 0


def test_mcp_search_finds_text_inside_the_window_and_none_past_it(secured_run: SecuredRun) -> None:
    found, gone = secured_run.mcp_answers["search_new"], secured_run.mcp_answers["search_old"]
    assert "620000" in found
    assert "610000" not in gone and OLD_MARKER not in gone.lower()
