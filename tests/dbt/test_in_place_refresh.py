"""A partition run refreshes the existing marts in place (dbt_project/macros/materializations.sql): no
temporary, intermediate or backup tables, the same table afterwards. Anything else takes dbt's own path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from dbt_common.events.base_types import EventMsg

from tests.dbt.dbt_runs import DbtRunError, run_dbt

DAY = "2026-09-10"
INCREMENTAL = "marts.team_weekly_scores"
TABLE = "marts.rep_benchmarks"
DBT_SCRATCH_TABLES = ("__dbt_tmp", "__dbt_backup")


def run_recording_sql(url: str, target: Path, select: str, day: str | None) -> list[str]:
    """The SQL of `dbt run --select <select>`, for one partition day or unwindowed."""
    statements: list[str] = []

    def on_event(message: EventMsg) -> None:
        if message.info.name == "SQLQuery":
            statements.append(message.data.sql)

    run_dbt(url, target, "run", "--select", select, day=day, callbacks=[on_event])
    return statements


def table_oid(url: str, relation: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("select to_regclass(%s)::oid", (relation,)).fetchone()
    assert row is not None and row[0] is not None
    return int(row[0])


def columns(url: str, relation: str) -> list[str]:
    schema, table = relation.split(".")
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s",
            (schema, table),
        ).fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def probe_column(marts_db: psycopg.Connection, request: pytest.FixtureRequest) -> Iterator[str]:
    """The parametrized relation with a column its contract does not declare, as an older build left it."""
    relation: str = request.param
    marts_db.execute(f"alter table {relation} add column probe integer")
    yield relation
    marts_db.execute(f"alter table {relation} drop column if exists probe")


def test_partition_run_refreshes_the_marts_in_place(marts_url: str, dbt_target: Path) -> None:
    before = {relation: table_oid(marts_url, relation) for relation in (INCREMENTAL, TABLE)}
    statements = run_recording_sql(marts_url, dbt_target, "team_weekly_scores rep_benchmarks", DAY)
    assert {relation: table_oid(marts_url, relation) for relation in before} == before
    assert [sql for sql in statements if any(name in sql for name in DBT_SCRATCH_TABLES)] == []
    assert sum("insert into" in sql for sql in statements) == 2


def test_unwindowed_run_rebuilds_a_table(marts_url: str, dbt_target: Path) -> None:
    before = table_oid(marts_url, TABLE)
    run_recording_sql(marts_url, dbt_target, "rep_benchmarks", None)
    assert table_oid(marts_url, TABLE) != before


@pytest.mark.parametrize("probe_column", [INCREMENTAL], indirect=True)
def test_incremental_mart_off_its_contract_fails_as_on_schema_change_says(
    marts_url: str, dbt_target: Path, probe_column: str
) -> None:
    with pytest.raises(DbtRunError, match="out of sync"):
        run_dbt(marts_url, dbt_target, "run", "--select", "team_weekly_scores", day=DAY)


@pytest.mark.parametrize("probe_column", [TABLE], indirect=True)
def test_table_off_its_contract_is_rebuilt_by_a_partition_run(
    marts_url: str, dbt_target: Path, probe_column: str
) -> None:
    run_dbt(marts_url, dbt_target, "run", "--select", "rep_benchmarks", day=DAY)
    assert "probe" not in columns(marts_url, probe_column)
