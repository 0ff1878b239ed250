"""Tables dbt writes in full get planner statistics at once; a partition run's incremental marts do not."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tests.dbt.dbt_runs import run_dbt

DAY = "2026-09-10"


def analyze_count(url: str, schema: str, table: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "select analyze_count from pg_stat_user_tables where schemaname = %s and relname = %s", (schema, table)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_incremental_marts_are_analyzed_by_unwindowed_builds_only(marts_url: str, dbt_target: Path) -> None:
    before = analyze_count(marts_url, "marts", "call_scores")
    run_dbt(marts_url, dbt_target, "run", "--select", "call_scores", day=DAY)
    assert analyze_count(marts_url, "marts", "call_scores") == before
    run_dbt(marts_url, dbt_target, "run", "--select", "call_scores")
    assert analyze_count(marts_url, "marts", "call_scores") == before + 1


def test_tables_rebuilt_by_a_partition_run_are_analyzed(marts_url: str, dbt_target: Path) -> None:
    """dbt rebuilds a table as a new relation, so its statistics are those of the post-hook's analyze."""
    with psycopg.connect(marts_url, autocommit=True) as conn:
        started = conn.execute("select now()").fetchone()[0]
    run_dbt(marts_url, dbt_target, "run", "--select", "int_rubric_versions_ranked", day=DAY)
    with psycopg.connect(marts_url, autocommit=True) as conn:
        analyzed = conn.execute(
            "select last_analyze from pg_stat_user_tables where schemaname = 'intermediate'"
            " and relname = 'int_rubric_versions_ranked'"
        ).fetchone()[0]
    assert analyzed is not None and analyzed >= started
