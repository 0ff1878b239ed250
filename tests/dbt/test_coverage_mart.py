"""rep_daily_coverage: every recorded call counted once per rep and day, in a full build and a partition run,
and the data test that says so fails when a call goes uncounted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa

from tests.dbt import expected
from tests.dbt.dbt_runs import DbtRunError, run_dbt

DAY = "2026-08-20"
COUNT_TEST = "rep_daily_coverage_counts_add_up"


def test_rep_daily_coverage_matches_pandas(engine: sa.Engine) -> None:
    keys = ["rep_user_id", "call_date"]
    want = expected.daily_coverage(engine)
    got = pd.read_sql("select * from marts.rep_daily_coverage", engine)
    merged = got.merge(want, on=keys, how="outer", suffixes=("", "_pd"), indicator=True)
    assert (merged["_merge"] == "both").all()
    for column in ["recorded_call_count", *expected.STATUS_COLUMNS.values()]:
        assert (merged[column] == merged[f"{column}_pd"]).all(), column


def test_rep_daily_coverage_holds_every_status(engine: sa.Engine) -> None:
    totals = pd.read_sql("select * from marts.rep_daily_coverage", engine).sum(numeric_only=True)
    counted = [
        "skipped_internal_scope_count",
        "skipped_no_external_participant_count",
        "unidentified_speaker_call_count",
    ]
    assert all(totals[column] > 0 for column in [*expected.STATUS_COLUMNS.values(), *counted])


def test_counts_add_up_test_passes_in_a_partition_build(marts_url: str, dbt_target: Path) -> None:
    run_dbt(marts_url, dbt_target, "build", "--select", "rep_daily_coverage", day=DAY)


@pytest.fixture
def uncounted_call(marts_db: psycopg.Connection) -> Iterator[str]:
    """A call recorded after the mart was built, which the mart therefore does not count."""
    marts_db.execute(
        "insert into raw.calls (call_id, call_date, started_at, duration_seconds, primary_user_id, call_type,"
        " payload) values ('coverage-probe', %s, %s, 60, 'u-0-0', 'demo', '{}')",
        (date.fromisoformat(DAY), f"{DAY} 09:00+00"),
    )
    yield "coverage-probe"
    marts_db.execute("delete from raw.calls where call_id = 'coverage-probe'")


def test_counts_add_up_test_fails_for_a_call_the_mart_misses(
    marts_url: str, dbt_target: Path, uncounted_call: str
) -> None:
    with pytest.raises(DbtRunError, match=COUNT_TEST):
        run_dbt(marts_url, dbt_target, "test", "--select", COUNT_TEST, day=DAY)
