"""Claude down, overloaded or rate limited across runs, through the real SDK against the simulator: the stored
breaker opens, later runs defer at once without a request, one probe after the cool-down, and a run after
recovery completes the deferred work, every result paid once."""

from __future__ import annotations

import psycopg
import pytest

from coaching_pipeline.analysis.engine.core import AnalysisEngine
from coaching_pipeline.knowledge.models import Dimension
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import FakeClock, claude, claude_engine, insert_call, messages, new_date

__all__ = ["claude"]

DIMENSIONS = [Dimension.DISCOVERY, Dimension.ENGAGEMENT]
COOLDOWN = 120.0


def _engine(database_url: str, claude: RunningClaude, clock: FakeClock) -> AnalysisEngine:
    """A new engine per run, as each Dagster run builds its own: only the stored breaker carries over."""
    return claude_engine(
        database_url, claude, clock=clock, breaker_threshold=2, breaker_cooldown_seconds=COOLDOWN, max_concurrency=1
    )


def _breaker(db: psycopg.Connection, claude: RunningClaude) -> dict:
    return db.execute(
        "select state, failures, reason, open_until > opened_at as has_cooldown from coaching.claude_breaker "
        "where name = %s",
        (claude.base_url.rstrip("/"),),
    ).fetchone()


def _events(db: psycopg.Connection, kind: str, calls: list[str]) -> list[dict]:
    return db.execute(
        "select run_id, call_id, dimension from coaching.pipeline_events where kind = %s and call_id = any(%s)",
        (kind, calls),
    ).fetchall()


def _breaker_events(db: psycopg.Connection, claude: RunningClaude, kind: str) -> list[dict]:
    return db.execute(
        "select detail from coaching.pipeline_events where kind = %s and detail->>'breaker' = %s order by event_id",
        (kind, claude.base_url.rstrip("/")),
    ).fetchall()


FAULTS = {  # the simulator's faults, and the status the breaker names as its reason
    "overloaded_529": ({"overloaded": 10_000}, "529"),
    "rate_limited_429_retry_after": ({"rate_limited": 10_000, "retry_after": 2}, "429"),
    "server_error_500": ({"server_errors": 10_000}, "500"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_engine_stored_breaker_defers_work_across_runs_and_completes_it_after_recovery(
    database_url: str, db: psycopg.Connection, claude: RunningClaude, fault: str
) -> None:
    call_date, clock = new_date(), FakeClock()
    calls = sorted(insert_call(db, call_date) for _ in range(2))
    faults, status = FAULTS[fault]
    for name, value in faults.items():
        setattr(claude.sim.faults, name, value)

    down = _engine(database_url, claude, clock).analyze_partition(call_date, DIMENSIONS, run_id=f"{fault}-down")
    assert (down.deferred, down.failures, down.calls_analysed, down.api_requests) == (4, 0, 0, 2)
    breaker = _breaker(db, claude)
    assert (breaker["state"], breaker["failures"], breaker["has_cooldown"]) == ("open", 2, True)
    assert breaker["reason"].startswith(status)
    assert len(_breaker_events(db, claude, "breaker_opened")) == 1

    sent = len(messages(claude))
    blocked = _engine(database_url, claude, clock).analyze_partition(call_date, DIMENSIONS, run_id=f"{fault}-blocked")
    assert (blocked.deferred, blocked.failures, blocked.api_requests) == (4, 0, 0)
    assert len(messages(claude)) == sent, "a run that starts while the stored breaker is open sends nothing"

    clock.now += COOLDOWN
    probed = _engine(database_url, claude, clock).analyze_partition(call_date, DIMENSIONS, run_id=f"{fault}-probe")
    assert (probed.deferred, probed.api_requests, len(messages(claude))) == (4, 1, sent + 1)
    reopened = _breaker_events(db, claude, "breaker_opened")
    assert len(reopened) == 2 and reopened[-1]["detail"]["probe_failed"] is True

    claude.sim.faults.overloaded = claude.sim.faults.rate_limited = claude.sim.faults.server_errors = 0
    clock.now += COOLDOWN
    up = _engine(database_url, claude, clock).analyze_partition(call_date, DIMENSIONS, run_id=f"{fault}-up")
    assert (up.calls_analysed, up.deferred, up.failures) == (2, 0, 0)
    assert _breaker(db, claude)["state"] == "closed"
    assert len(_breaker_events(db, claude, "breaker_closed")) == 1

    deferred = _events(db, "work_deferred", calls)
    assert {e["run_id"] for e in deferred} == {f"{fault}-{run}" for run in ("down", "blocked", "probe")}
    assert len(deferred) == 3 * 4
    resumed = _events(db, "work_resumed", calls)
    assert sorted((e["call_id"], e["dimension"], e["run_id"]) for e in resumed) == sorted(
        (c, d.value, f"{fault}-up") for c in calls for d in DIMENSIONS
    )
    assert (
        db.execute("select count(*) as n from coaching.analysis_failures where call_id = any(%s)", (calls,)).fetchone()[
            "n"
        ]
        == 0
    )

    ledger = db.execute(
        "select run_id, call_id, dimension, status, cost_usd from coaching.llm_requests where call_id = any(%s)",
        (calls,),
    ).fetchall()
    paid = sorted((r["call_id"], r["dimension"]) for r in ledger if r["status"] == "ok")
    assert paid == sorted((c, d.value) for c in calls for d in DIMENSIONS), "each result paid exactly once"
    assert all(float(r["cost_usd"]) == 0 for r in ledger if r["status"] == "error")
    assert {r["run_id"] for r in ledger if r["status"] == "ok"} == {f"{fault}-up"}
    assert not [r for r in ledger if r["run_id"] == f"{fault}-blocked"]
    stored = db.execute(
        "select count(*) as n from coaching.call_analyses where call_id = any(%s)", (calls,)
    ).fetchone()["n"]
    assert stored == 4


def test_engine_stored_breaker_is_not_closed_by_a_run_that_missed_the_opening(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    clock = FakeClock()
    unaware = _engine(database_url, claude, clock)  # read the breaker closed before the other run opened it
    opener = _engine(database_url, claude, clock)
    opener.breaker.trip("529 overloaded_error")
    unaware.breaker.record_failure("529 overloaded_error")
    assert _breaker(db, claude)["state"] == "open"
    assert _engine(database_url, claude, clock).breaker.state == "open"
