"""Acceptance: repair, retries, circuit breaker and spend cap, through the real SDK against the simulator."""

from __future__ import annotations

import psycopg

from coaching_pipeline.analysis.engine.work import load_calls
from coaching_pipeline.knowledge.models import Dimension
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import FakeClock, claude, claude_engine, insert_call, messages, new_date

__all__ = ["claude"]


def _ledger(db: psycopg.Connection, call_id: str) -> list[dict]:
    return db.execute(
        "select status, attempt, mode, cost_usd, request_id from coaching.llm_requests where call_id = %s "
        "order by ledger_id",
        (call_id,),
    ).fetchall()


def _failures(db: psycopg.Connection, call_ids: list[str]) -> list[dict]:
    return db.execute(
        "select call_id, dimension, status, reason from coaching.analysis_failures where call_id = any(%s)",
        (call_ids,),
    ).fetchall()


def test_engine_repairs_a_malformed_reply_once(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    claude.sim.faults.malformed = 1
    report = claude_engine(database_url, claude).analyze_calls([call_id], [Dimension.DISCOVERY])
    assert [row["status"] for row in _ledger(db, call_id)] == ["invalid", "repair"]
    repair = messages(claude)[1].body["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    assert report.calls_analysed == 1 and report.failures == 0


def test_engine_records_failure_after_two_malformed_replies_and_continues(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    first, second = sorted([insert_call(db, call_date), insert_call(db, call_date)])
    claude.sim.faults.malformed = 2
    report = claude_engine(database_url, claude).analyze_partition(call_date, list(Dimension))
    failures = _failures(db, [first, second])
    assert [(f["call_id"], f["dimension"], f["status"]) for f in failures] == [(first, "discovery", "failed")]
    assert (report.failures, report.calls_analysed) == (1, 1)
    stored = db.execute(
        "select count(*) as n from coaching.call_analyses where call_id = any(%s)", ([first, second],)
    ).fetchone()
    assert stored["n"] == 7


def test_engine_retries_rate_limit_after_the_servers_retry_after(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    claude.sim.faults.rate_limited, claude.sim.faults.retry_after = 1, 1
    clock = FakeClock()
    report = claude_engine(database_url, claude, clock=clock).analyze_calls([call_id], [Dimension.ENGAGEMENT])
    rows = _ledger(db, call_id)
    assert [(r["status"], r["attempt"]) for r in rows] == [("error", 1), ("ok", 2)]
    assert rows[0]["request_id"] and rows[0]["request_id"] != rows[1]["request_id"]
    assert 1.0 in clock.sleeps and report.calls_analysed == 1


def test_engine_retries_overloaded_until_success(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    claude.sim.faults.overloaded = 2
    report = claude_engine(database_url, claude).analyze_calls([call_id], [Dimension.ENGAGEMENT])
    assert [r["status"] for r in _ledger(db, call_id)] == ["error", "error", "ok"]
    assert report.calls_analysed == 1 and report.deferred == 0


def test_engine_circuit_opens_defers_work_and_closes_after_cooldown(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    calls = [insert_call(db, call_date) for _ in range(3)]
    clock = FakeClock()
    engine = claude_engine(database_url, claude, clock=clock, breaker_threshold=2, max_concurrency=1)
    claude.sim.faults.server_errors = 100
    first = engine.analyze_partition(call_date, Dimension.DISCOVERY)
    assert (first.deferred, first.failures, first.api_requests) == (3, 0, 2)
    assert {f["status"] for f in _failures(db, calls)} == {"deferred"}
    assert engine.breaker.state == "open"
    claude.sim.faults.server_errors = 0
    clock.now += engine.options.breaker_cooldown_seconds
    second = engine.analyze_partition(call_date, Dimension.DISCOVERY)
    assert (second.calls_analysed, second.deferred) == (3, 0)
    assert engine.breaker.state == "closed" and _failures(db, calls) == []


def test_engine_enforced_spend_limit_opens_the_circuit_at_once(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    calls = [insert_call(db, call_date) for _ in range(2)]
    claude.sim.faults.spend_limit = True
    engine = claude_engine(database_url, claude)
    report = engine.analyze_partition(call_date, list(Dimension))
    assert (report.deferred, report.failures, len(messages(claude))) == (8, 0, 1)
    assert engine.breaker.state == "open" and len(_failures(db, calls)) == 8


def test_engine_spend_cap_stops_cleanly_and_defers_the_rest(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    calls = [insert_call(db, call_date) for _ in range(3)]
    probe = claude_engine(database_url, claude)
    unit = probe.unit(load_calls(db, call_ids=calls[:1], redaction=probe.options.redaction)[0], Dimension.DISCOVERY)
    _, estimate = probe.analyzer.estimate(probe.analyzer.build_params(unit.request(probe.knowledge)))
    cap = 2.5 * estimate  # room for the first requests (cached prefixes cost less than estimated), not all
    report = claude_engine(database_url, claude, spend_cap_usd=cap, max_concurrency=1).analyze_partition(
        call_date, list(Dimension), run_id="capped-run"
    )
    spent = db.execute("select sum(cost_usd) as s from coaching.llm_requests where run_id = 'capped-run'").fetchone()[
        "s"
    ]
    assert report.failures == 0 and report.deferred > 0 and report.api_requests > 0
    assert float(spent) <= cap
    assert report.deferred + report.api_requests == 12
    assert {f["status"] for f in _failures(db, calls)} == {"deferred"}
