"""The pipeline event log stores each event once, whoever reports it twice."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event


def test_record_pipeline_event_stores_a_repeated_report_once(isolated_database_url: str) -> None:
    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    with psycopg.connect(isolated_database_url, autocommit=True) as conn:
        first = record_pipeline_event(conn, "run_failed", occurred_at=at, run_id="r1", detail={"step": "dbt"})
        again = record_pipeline_event(conn, "run_failed", occurred_at=at, run_id="r1", detail={"step": "dbt"})
        other = record_pipeline_event(conn, "run_failed", occurred_at=at, run_id="r2", detail={"step": "dbt"})
        rows = conn.execute("select run_id from coaching.pipeline_events order by run_id").fetchall()
    assert (first, again, other) == (True, False, True)
    assert [row[0] for row in rows] == ["r1", "r2"]


def test_record_pipeline_event_honours_an_explicit_key(isolated_database_url: str) -> None:
    with psycopg.connect(isolated_database_url, autocommit=True) as conn:
        assert record_pipeline_event(conn, "alert_sent", event_key="alert:run:r9", run_id="r9")
        assert not record_pipeline_event(conn, "alert_sent", event_key="alert:run:r9", run_id="r9", detail={"x": 1})
