"""Acceptance (issue 17): `coaching run` SIGKILLed at several points of a partition run, then run again, leaves
exactly the rows a clean run leaves, in every table of raw, coaching and marts, and pays Claude once per result.

One day of the sample tenant, Claude being the simulator over HTTP. The run is killed three times in a row,
each time from outside, when the warehouse shows it reached the point: after the calls are stored but before
their transcripts (Gong slowed down), in the middle of the analyses (Claude slowed down), and while dbt builds
the marts. The fourth run finishes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DatabaseFactory
from tests.reliability.support import (
    DAY,
    differences,
    pipeline_env,
    run_and_kill_when,
    run_to_end,
    simulators,
    snapshot,
)
from tests.reliability.support import count as scalar

CALLS = "select count(*) from raw.calls where call_date = %s"
TRANSCRIPTS = "select count(*) from raw.transcripts join raw.calls using (call_id) where call_date = %s"
ANALYSES = "select count(*) from coaching.call_analyses where call_date = %s"
pytestmark = pytest.mark.timeout(1800)  # several real runs; on a busy machine each takes minutes
DBT_SESSIONS = "select count(*) from pg_stat_activity where datname = current_database() and application_name = 'dbt'"
MART_TABLES = "select count(*) from information_schema.tables where table_schema = 'marts'"
LEDGERED = "select count(*) from coaching.llm_requests where mode = 'sync'"


@pytest.fixture(scope="module")
def crashed(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory, clean_run: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    url = database_factory.create("crash_killed")
    total = scalar(clean_run["url"], ANALYSES, (DAY,))
    with simulators() as sims:
        env = pipeline_env(url, Path(tmp_path_factory.mktemp("crashed")), sims)

        sims.gong.sim.faults.slow_seconds = 0.5
        run_and_kill_when(env, lambda: scalar(url, CALLS, (DAY,)) > 0 and scalar(url, TRANSCRIPTS, (DAY,)) == 0)
        after_calls = {"calls": scalar(url, CALLS, (DAY,)), "transcripts": scalar(url, TRANSCRIPTS, (DAY,))}
        sims.gong.sim.faults.slow_seconds = 0.0

        sims.claude.sim.faults.slow_seconds = 0.3
        run_and_kill_when(env, lambda: scalar(url, ANALYSES, (DAY,)) >= 2)
        stored_at_kill = scalar(url, ANALYSES, (DAY,))
        ledgered_at_kill = scalar(url, LEDGERED)
        time.sleep(1.0)  # requests in flight at the kill still reach the simulator, which bills them
        paid_at_kill = len(sims.claude.sim.logged())
        sims.claude.sim.faults.slow_seconds = 0.0

        # The partition's dbt build: every analysis stored, dbt connected (not reference data's earlier build).
        run_and_kill_when(env, lambda: scalar(url, ANALYSES, (DAY,)) == total and scalar(url, DBT_SESSIONS) > 0)
        marts_at_kill = scalar(url, MART_TABLES)

        finished = run_to_end(env)
        assert finished.returncode == 0, finished.stdout + finished.stderr
        yield {
            "url": url,
            "snapshot": snapshot(url),
            "after_calls": after_calls,
            "stored_at_kill": stored_at_kill,
            "ledgered_at_kill": ledgered_at_kill,
            "paid_at_kill": paid_at_kill,
            "marts_at_kill": marts_at_kill,
            "messages": len(sims.claude.sim.logged()),
        }


def test_crash_kill_points_are_reached(crashed: dict[str, Any], clean_run: dict[str, Any]) -> None:
    total = scalar(clean_run["url"], ANALYSES, (DAY,))
    assert crashed["after_calls"]["calls"] > 0 and crashed["after_calls"]["transcripts"] == 0
    assert 0 < crashed["stored_at_kill"] < total


def test_crash_resumed_run_leaves_every_table_as_a_clean_run(
    crashed: dict[str, Any], clean_run: dict[str, Any]
) -> None:
    assert clean_run["snapshot"]["coaching.call_analyses"], "the clean run analysed nothing"
    assert differences(clean_run["snapshot"], crashed["snapshot"]) == {}


def test_crash_leaves_no_duplicate_missing_or_orphan_rows(crashed: dict[str, Any]) -> None:
    url = crashed["url"]
    missing = """
        select count(*) from raw.calls as c join raw.transcripts as t using (call_id)
        cross join (values ('discovery'), ('product_knowledge'), ('objection_handling'), ('engagement')) as d (dim)
        where c.transcript_status = 'ready' and c.call_id not in (select call_id from coaching.analysis_skips)
          and not exists (
            select 1 from coaching.call_analyses as a where a.call_id = c.call_id and a.dimension = d.dim)
    """
    orphans = """
        select count(*) from coaching.llm_requests as r
        where not exists (
            select 1 from coaching.call_analyses as a where a.call_id = r.call_id and a.dimension = r.dimension)
    """
    paid_twice = """
        select count(*) from (
            select call_id, dimension from coaching.llm_requests where status = 'ok'
            group by call_id, dimension having count(*) > 1) as twice
    """
    assert scalar(url, missing) == 0
    assert scalar(url, orphans) == 0
    assert scalar(url, paid_twice) == 0
    assert scalar(url, "select count(*) from coaching.analysis_failures") == 0


def test_crash_rerun_never_pays_again_for_a_stored_result(crashed: dict[str, Any], clean_run: dict[str, Any]) -> None:
    """Every request the simulator billed is in the ledger, but for those in flight when the process died
    (billed, never answered to anyone); the re-runs paid for exactly what was not stored."""
    in_flight = crashed["paid_at_kill"] - crashed["ledgered_at_kill"]
    assert 0 <= in_flight <= 4  # COACHING_MAX_CONCURRENCY
    assert crashed["messages"] == clean_run["messages"] + in_flight
