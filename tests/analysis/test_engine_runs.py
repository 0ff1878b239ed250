"""The engine's entry points: partitions, reruns, long calls, the offline path and analyzer selection."""

from __future__ import annotations

from typing import Literal

import psycopg

from coaching_pipeline.analysis.engine import ledger
from coaching_pipeline.analysis.engine.core import AnalysisEngine, analyze_partition, build_analyzer
from coaching_pipeline.analysis.ledger_entry import LedgerEntry
from coaching_pipeline.analysis.models import CriterionScore, DimensionAnalysis, Evidence
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.settings import Settings
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import (
    KNOWLEDGE,
    RUBRICS,
    claude,
    claude_engine,
    insert_call,
    messages,
    new_date,
    options,
)

__all__ = ["claude"]


class StubAnalyzer:
    """An offline analyzer with one real quote and one invented one."""

    model = "offline-stub-v1"
    kind: Literal["offline"] = "offline"

    def analyze(self, request: AnalysisRequest) -> DimensionAnalysis:
        criterion = request.rubric.criteria[0].id
        return DimensionAnalysis(
            dimension=request.dimension,
            criterion_scores=[CriterionScore(criterion_id=criterion, score=4, rationale="Good.")],
            overall_score=4,
            evidence=[
                Evidence(quote="walk me through how you currently", speaker="Riley Rep", start_seconds=0),
                Evidence(quote="We love spreadsheets", speaker="Casey Customer", start_seconds=3),
            ],
        )


def _offline_engine(url: str) -> AnalysisEngine:
    return AnalysisEngine(url, StubAnalyzer(), options=options(), rubrics=RUBRICS, knowledge=KNOWLEDGE)


def test_engine_offline_run_is_ledgered_free_verified_and_idempotent(database_url: str, db: psycopg.Connection) -> None:
    call_date = new_date()
    call_id = insert_call(db, call_date)
    first = _offline_engine(database_url).analyze_partition(call_date, list(Dimension))
    second = _offline_engine(database_url).analyze_partition(call_date, list(Dimension))
    ledger = db.execute("select mode, cost_usd from coaching.llm_requests where call_id = %s", (call_id,)).fetchall()
    assert {(row["mode"], float(row["cost_usd"])) for row in ledger} == {("offline", 0.0)} and len(ledger) == 4
    assert (first.unverified_quotes, first.evidence_total, first.api_requests) == (4, 4, 0)
    assert second.cache_hits == 4
    rows = db.execute("select analyzer, evidence from coaching.call_analyses where call_id = %s", (call_id,)).fetchall()
    assert len(rows) == 4 and {row["analyzer"] for row in rows} == {"offline"}
    assert rows[0]["evidence"][0]["verified"] is True


def test_engine_ledger_and_cache_rows_carry_the_call_date(database_url: str, db: psycopg.Connection) -> None:
    call_date = new_date()
    call_id = insert_call(db, call_date)
    for _ in range(2):  # a miss and a request, then a hit
        _offline_engine(database_url).analyze_partition(call_date, Dimension.DISCOVERY)
    ledger.record(db, LedgerEntry(model="claude-sonnet-5-5", mode="sync", status="error", run_id="no-call"))
    requests = db.execute("select call_date from coaching.llm_requests where call_id = %s", (call_id,)).fetchall()
    events = db.execute("select call_date from coaching.cache_events where call_id = %s", (call_id,)).fetchall()
    unbound = db.execute("select call_date from coaching.llm_requests where run_id = 'no-call'").fetchone()
    assert (len(requests), len(events)) == (1, 2)
    assert {row["call_date"] for row in requests + events} == {call_date} and unbound["call_date"] is None


def test_analyze_partition_reads_only_ready_calls_of_the_day(database_url: str, db: psycopg.Connection) -> None:
    call_date = new_date()
    ready = insert_call(db, call_date)
    insert_call(db, call_date, status="pending")
    insert_call(db, new_date())
    engine = _offline_engine(database_url)
    report = engine.analyze_partition(call_date, Dimension.DISCOVERY)
    analysed = db.execute("select call_id from coaching.call_analyses where call_date = %s", (call_date,)).fetchall()
    assert report.calls_considered == 1 and [row["call_id"] for row in analysed] == [ready]


def test_engine_long_call_is_chunked_and_merged_into_one_analysis(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_id = insert_call(db, new_date(), repeat=4)
    engine = claude_engine(database_url, claude, transcript_token_budget=200)
    report = engine.analyze_calls([call_id], [Dimension.DISCOVERY])
    assert len(messages(claude)) > 1 and report.calls_analysed == 1
    row = db.execute(
        "select evidence, unverified_quote_count from coaching.call_analyses where call_id = %s", (call_id,)
    ).fetchone()
    assert row["evidence"] and all(e["verified"] for e in row["evidence"])


def test_analyze_partition_entry_point_uses_the_given_analyzer(database_url: str, db: psycopg.Connection) -> None:
    call_date = new_date()
    insert_call(db, call_date)
    analyzer = StubAnalyzer()
    report = analyze_partition(database_url, call_date, Dimension.ENGAGEMENT, analyzer=analyzer, run_id="r-entry")
    assert (report.run_id, report.calls_analysed, report.cache_misses) == ("r-entry", 1, 1)


def test_build_analyzer_picks_claude_only_with_an_api_key() -> None:
    assert build_analyzer(Settings(anthropic_api_key="k", anthropic_base_url="http://127.0.0.1:9")).kind == "claude"
    assert build_analyzer(Settings(anthropic_api_key=None)).kind == "offline"
