"""Acceptance: the prompt-cache layout and the analysis cache, through the real SDK against the simulator."""

from __future__ import annotations

import psycopg

from coaching_pipeline.analysis.engine.cache import cache_stats
from coaching_pipeline.knowledge.models import Dimension
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import RUBRICS, claude, claude_engine, insert_call, messages, new_date, rubric

__all__ = ["claude"]


def test_engine_puts_cache_breakpoints_after_system_and_transcript(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    claude_engine(database_url, claude).analyze_calls([call_id], [Dimension.DISCOVERY])
    body = messages(claude)[0].body
    assert [b.get("cache_control") for b in body["system"]] == [{"type": "ephemeral"}]
    content = body["messages"][0]["content"]
    assert content[0]["cache_control"] == {"type": "ephemeral"}
    assert "<transcript>" in content[0]["text"]
    assert "cache_control" not in content[1]
    assert not {"temperature", "top_p", "top_k"} & body.keys()


def test_engine_four_dimensions_write_transcript_prefix_once_and_read_it_three_times(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    report = claude_engine(database_url, claude).analyze_calls([call_id], list(Dimension))
    usages = [entry.usage for entry in messages(claude)]
    assert len(usages) == 4
    assert usages[0].cache_creation_input_tokens > 0 and not usages[0].cache_read_input_tokens
    for usage in usages[1:]:
        assert usage.cache_creation_input_tokens == 0
        assert usage.cache_read_input_tokens == usages[0].cache_creation_input_tokens
    assert report.calls_analysed == 1 and report.api_requests == 4
    assert report.cache_read_tokens == 3 * usages[0].cache_creation_input_tokens


def test_engine_cache_hit_makes_no_request_and_costs_nothing(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    insert_call(db, call_date)
    engine = claude_engine(database_url, claude)
    first = engine.analyze_partition(call_date, list(Dimension))
    before = len(claude.sim.request_log)
    second = engine.analyze_partition(call_date, list(Dimension), run_id="second-run")
    assert len(claude.sim.request_log) == before
    assert (second.cache_hits, second.cache_misses, second.api_requests, second.cost_usd) == (4, 0, 0, 0.0)
    stats = cache_stats(db, run_id="second-run")
    assert stats.hit_rate == 1.0 and abs(stats.saved_usd - first.cost_usd) < 1e-5


def test_engine_rubric_version_bump_reruns_only_that_dimension(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date())
    claude_engine(database_url, claude).analyze_calls([call_id], list(Dimension))
    bumped = {**RUBRICS, Dimension.DISCOVERY: rubric(Dimension.DISCOVERY, "v2")}
    before = len(messages(claude))
    report = claude_engine(database_url, claude, rubrics=bumped).analyze_calls([call_id], list(Dimension))
    rerun = [entry.body["messages"][0]["content"][1]["text"] for entry in messages(claude)[before:]]
    assert (report.cache_hits, report.cache_misses) == (3, 1)
    assert len(rerun) == 1 and "discovery v2" in rerun[0]
    versions = db.execute(
        "select rubric_version from coaching.call_analyses where call_id = %s and dimension = 'discovery'",
        (call_id,),
    ).fetchall()
    assert sorted(r["rubric_version"] for r in versions) == ["v1", "v2"]
