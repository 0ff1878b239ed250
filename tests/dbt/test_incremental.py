"""Partition runs of the incremental marts equal a full refresh; re-running a partition changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import psycopg
import pytest

from coaching_sandbox.warehouse.loading import seed_days
from tests.dbt.conftest import SPEC
from tests.dbt.dbt_runs import INCREMENTAL_MARTS, TABLE_MARTS, partition_vars, run_dbt

NEW_DAY = SPEC.start_date + timedelta(days=SPEC.days)
RESCORED_DAY = date(2026, 8, 20)
Fingerprints = dict[str, tuple[int, str]]


def fingerprints(url: str) -> Fingerprints:
    """Row count and a hash of every row's text, per mart."""
    with psycopg.connect(url) as conn:
        return {
            name: conn.execute(
                f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from marts.{name} as t"
            ).fetchone()
            for name in (*INCREMENTAL_MARTS, *TABLE_MARTS)
        }


# On the new day: a batch request for a call of the re-scored day (collected late) and a request tied to no call.
LATE_REQUESTS = """
insert into coaching.llm_requests (call_id, call_date, model, mode, status, cost_usd, requested_at)
select call_id, call_date, 'claude-sonnet-5-5', 'batch', 'ok', 0.25, %(at)s
from raw.calls where call_id = (select min(call_id) from raw.calls where call_date = %(day)s)
union all
select null, null, 'claude-sonnet-5-5', 'sync', 'error', 0, %(at)s
"""


def _change_sources(url: str) -> None:
    """A new day arrives; an old day is re-scored, loses one analysis and has a late request."""
    with psycopg.connect(url) as conn:
        seed_days(conn, SPEC, [NEW_DAY])
        conn.execute(LATE_REQUESTS, {"at": datetime.combine(NEW_DAY, time(12), tzinfo=UTC), "day": RESCORED_DAY})
        conn.execute(
            "update coaching.call_analyses set overall_score = 5 where call_date = %s and dimension = 'engagement'",
            (RESCORED_DAY,),
        )
        conn.execute(
            "delete from coaching.call_analyses where dimension = 'product_knowledge' and call_id ="
            " (select min(call_id) from coaching.call_analyses where call_date = %s)",
            (RESCORED_DAY,),
        )
        conn.commit()


@pytest.fixture(scope="module")
def runs(marts_url: str, dbt_target: Path) -> dict[str, Fingerprints]:
    before = fingerprints(marts_url)
    _change_sources(marts_url)
    for day in (RESCORED_DAY, NEW_DAY):
        run_dbt(marts_url, dbt_target, "run", day=day.isoformat())
    incremental = fingerprints(marts_url)
    # The re-run passes the window as vars (by hand) instead of the environment (Dagster): same rows.
    run_dbt(marts_url, dbt_target, "run", "--vars", partition_vars(RESCORED_DAY.isoformat()))
    rerun = fingerprints(marts_url)
    run_dbt(marts_url, dbt_target, "run", "--full-refresh")
    return {"before": before, "incremental": incremental, "rerun": rerun, "full": fingerprints(marts_url)}


def test_incremental_partition_runs_pick_up_changes(runs: dict[str, Fingerprints]) -> None:
    changed = {name for name in INCREMENTAL_MARTS if runs["before"][name] != runs["incremental"][name]}
    assert changed == set(INCREMENTAL_MARTS)


def test_incremental_partition_runs_equal_full_refresh(runs: dict[str, Fingerprints]) -> None:
    assert runs["incremental"] == runs["full"]


def test_incremental_rerun_of_partition_changes_nothing(runs: dict[str, Fingerprints]) -> None:
    assert runs["rerun"] == runs["incremental"]
