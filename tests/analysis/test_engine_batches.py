"""Acceptance: Message Batches at half price, persisted before polling, resumed after a crash, paid once."""

from __future__ import annotations

import psycopg

from coaching_pipeline.analysis.costs import TokenUsage, cost_usd, load_price_table
from coaching_pipeline.knowledge.models import Dimension
from coaching_sandbox.simulators.claude import RunningClaude, serve_claude
from tests.analysis.support import claude, claude_engine, insert_call, new_date

__all__ = ["claude"]


def _batch_rows(db: psycopg.Connection, call_ids: list[str]) -> list[dict]:
    return db.execute(
        "select request_id, input_tokens, output_tokens, cache_creation_input_tokens, "
        "cache_read_input_tokens, cost_usd from coaching.llm_requests "
        "where mode = 'batch' and call_id = any(%s)",
        (call_ids,),
    ).fetchall()


def test_batch_survives_a_restart_without_paying_twice(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    calls = [insert_call(db, call_date) for _ in range(2)]
    crashed = claude_engine(database_url, claude)
    crashed.analyze_partition(call_date, list(Dimension), use_batch=True, wait_for_batch=False)
    pending = db.execute("select batch_id, request_count from coaching.message_batches where collected_at is null")
    assert [row["request_count"] for row in pending.fetchall()] == [8]
    del crashed

    resumed = claude_engine(database_url, claude).analyze_partition(call_date, list(Dimension), use_batch=True)
    again = claude_engine(database_url, claude).analyze_partition(call_date, list(Dimension), use_batch=True)

    assert len(claude.sim.logged("/v1/messages/batches")) == 1
    rows = _batch_rows(db, calls)
    assert len(rows) == len({row["request_id"] for row in rows}) == 8
    assert resumed.calls_analysed == 2 and again.cache_hits == 8 and again.cost_usd == 0
    analyses = db.execute(
        "select count(*) as n from coaching.call_analyses where call_id = any(%s)", (calls,)
    ).fetchone()
    assert analyses["n"] == 8


def test_batch_requests_use_the_one_hour_cache_and_cost_half(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    claude_engine(database_url, claude).analyze_calls([call_id], list(Dimension), use_batch=True)
    params = claude.sim.logged("/v1/messages/batches")[0].body["requests"][0]["params"]
    assert params["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    prices = load_price_table()
    for row in _batch_rows(db, [call_id]):
        usage = TokenUsage(
            input_tokens=row["input_tokens"],
            output_tokens=row["output_tokens"],
            cache_write_1h_tokens=row["cache_creation_input_tokens"],
            cache_read_tokens=row["cache_read_input_tokens"],
        )
        assert float(row["cost_usd"]) == cost_usd(prices, "claude-sonnet-5-5", usage, batch=True)


def test_sync_run_does_not_pay_again_for_work_in_an_unfinished_batch(database_url: str, db: psycopg.Connection) -> None:
    call_date = new_date()
    insert_call(db, call_date)
    with serve_claude(min_cacheable_tokens=64, batch_polls_to_finish=5) as slow:
        claude_engine(database_url, slow).analyze_partition(
            call_date, list(Dimension), use_batch=True, wait_for_batch=False
        )
        report = claude_engine(database_url, slow).analyze_partition(call_date, list(Dimension))
        assert (report.deferred, report.api_requests, len(slow.sim.logged("/v1/messages"))) == (4, 0, 0)
        finished = claude_engine(database_url, slow).analyze_partition(call_date, list(Dimension), use_batch=True)
    assert finished.calls_analysed == 1 and finished.cache_hits == 4
