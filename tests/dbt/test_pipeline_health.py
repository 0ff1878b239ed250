"""marts.pipeline_health counts the pipeline's own events and outstanding analysis failures per day."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg

from coaching_pipeline.warehouse.pipeline_events import PipelineEventKind, record_pipeline_event
from tests.dbt.dbt_runs import run_dbt

EVENTS: list[tuple[PipelineEventKind, str]] = [
    ("run_started", "2026-09-01T08:00:00"),
    ("run_succeeded", "2026-09-01T08:20:00"),
    ("run_started", "2026-09-01T09:00:00"),
    ("run_failed", "2026-09-01T09:03:00"),
    ("alert_sent", "2026-09-01T09:03:05"),
    ("breaker_opened", "2026-09-02T10:00:00"),
    ("work_deferred", "2026-09-02T10:00:01"),
    ("work_deferred", "2026-09-02T10:00:02"),
    ("breaker_closed", "2026-09-02T11:00:00"),
    ("work_resumed", "2026-09-02T11:05:00"),
    ("gong_backoff", "2026-09-02T12:00:00"),
    ("postgres_retry", "2026-09-02T13:00:00"),
    ("alert_failed", "2026-09-02T13:30:00"),
]

COLUMNS = (
    "activity_date, run_started_count, run_succeeded_count, run_failed_count, alert_sent_count, alert_failed_count, "
    "work_deferred_count, work_resumed_count, breaker_opened_count, breaker_closed_count, gong_backoff_count, "
    "postgres_retry_count, failed_analysis_count, deferred_analysis_count"
)


def _at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def test_pipeline_health_counts_events_per_day(isolated_database_url: str, dbt_target: Path) -> None:
    with psycopg.connect(isolated_database_url, autocommit=True) as conn:
        for number, (kind, stamp) in enumerate(EVENTS):
            record_pipeline_event(conn, kind, event_key=f"test:{number}", occurred_at=_at(stamp), run_id=f"r{number}")
        # The same report twice (a sensor tick evaluated again) lands once.
        record_pipeline_event(conn, "run_started", event_key="test:0", occurred_at=_at("2026-09-01T08:00:00"))
        conn.execute(
            "insert into coaching.analysis_failures (call_id, dimension, rubric_version, status, reason, recorded_at) "
            "values ('c1', 'discovery', 'v1', 'failed', 'malformed_reply', %s), "
            "('c2', 'discovery', 'v1', 'deferred', 'claude_unavailable', %s)",
            (_at("2026-09-01T09:02:00"), _at("2026-09-03T07:00:00")),
        )

    run_dbt(isolated_database_url, dbt_target, "build", "--select", "+pipeline_health")

    with psycopg.connect(isolated_database_url) as conn:
        rows = conn.execute(f"select {COLUMNS} from marts.pipeline_health order by activity_date").fetchall()
    assert [(row[0].isoformat(), *row[1:]) for row in rows] == [
        ("2026-09-01", 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0),
        ("2026-09-02", 0, 0, 0, 0, 1, 2, 1, 1, 1, 1, 1, 0, 0),
        ("2026-09-03", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    ]
