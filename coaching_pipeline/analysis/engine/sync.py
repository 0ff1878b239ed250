"""Synchronous analysis: the dimensions of one call in order, different calls concurrently.

The first dimension of a call writes the transcript prefix to the prompt cache and the others read it; each
(call, dimension) is stored or recorded as failed/deferred on its own."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import psycopg

from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer, RequestContext, RequestRejected
from coaching_pipeline.analysis.claude.replies import MalformedReply
from coaching_pipeline.analysis.claude.resilience import Guard, WorkDeferred
from coaching_pipeline.analysis.engine import ledger
from coaching_pipeline.analysis.engine.run_report import AnalysisRunReport
from coaching_pipeline.analysis.engine.work import Unit, Workbench, complete, fail
from coaching_pipeline.analysis.ledger_entry import LedgerEntry
from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.logs import log_context
from coaching_pipeline.warehouse.db import connect

log = logging.getLogger(__name__)

Outcome = tuple[AnalysisRunReport, set[tuple[str, str]]]


def _group_by_call(units: Sequence[Unit]) -> list[list[Unit]]:
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        groups.setdefault(unit.work.call.call_id, []).append(unit)
    return list(groups.values())


def _ledger(conn: psycopg.Connection, entries: Sequence[LedgerEntry]) -> None:
    for entry in entries:
        ledger.record(conn, entry)


class SyncRunner:
    """One run's synchronous work; every (call, dimension) ends stored, failed or deferred, never lost."""

    def __init__(self, engine: Workbench, guard: Guard) -> None:
        self.engine = engine
        self.analyzer = engine.analyzer
        self.guard = guard

    def run(self, units: Sequence[Unit], run_id: str) -> Outcome:
        """Dimensions of one call in order (the first writes the transcript prefix), calls concurrently.

        The very first request runs alone so the shared system prefix is written once, not once per worker.
        """
        groups = _group_by_call(units)
        report, done = AnalysisRunReport(), set()
        if self.engine.is_claude and groups:
            first, groups[0] = groups[0][:1], groups[0][1:]
            r, d = self._process_group(first, run_id)
            report, done = report + r, done | d
        with ThreadPoolExecutor(max_workers=self.engine.options.max_concurrency) as pool:
            for r, d in pool.map(lambda g: self._process_group(g, run_id), [g for g in groups if g]):
                report, done = report + r, done | d
        return report, done

    def _process_group(self, units: Sequence[Unit], run_id: str) -> Outcome:
        report, done = AnalysisRunReport(), set()
        with connect(self.engine.url, autocommit=True) as conn:
            for unit in units:
                with log_context(run_id=run_id, call_id=unit.work.call.call_id, dimension=unit.dimension.value):
                    r, ok = self._process_unit(conn, unit, run_id)
                    log.info("analysis %s", "stored" if ok else "failed" if r.failures else "deferred")
                report += r
                if ok:
                    done.add((unit.work.call.call_id, unit.dimension.value))
        return report, done

    def _process_unit(self, conn: psycopg.Connection, unit: Unit, run_id: str) -> tuple[AnalysisRunReport, bool]:
        """Make the requests, then write their ledger rows together with the unit's outcome (analysis and cache,
        or failure) in one transaction: a crash leaves either both or neither, never a paid result the ledger
        holds but the warehouse lost (which the re-run would pay for again). An unexpected error still ledgers
        what was paid before it propagates."""
        entries: list[LedgerEntry] = []
        ctx = RequestContext(guard=self.guard, record=entries.append, run_id=run_id, ttl="5m")
        report = AnalysisRunReport()
        try:
            parts = [
                (self._analyze(unit.request(self.engine.knowledge, part), ctx), weight)
                for part, weight in self.engine.parts(unit.work)
            ]
        except WorkDeferred as exc:
            with conn.transaction():
                _ledger(conn, entries)
                fail(conn, unit, deferred=True, reason=exc.reason, detail={"error": str(exc)}, run_id=run_id)
            report.deferred = 1
        except (MalformedReply, RequestRejected) as exc:
            reason = "malformed_reply" if isinstance(exc, MalformedReply) else "request_rejected"
            with conn.transaction():
                _ledger(conn, entries)
                fail(conn, unit, deferred=False, reason=reason, detail={"error": str(exc)[:2000]}, run_id=run_id)
            report.failures = 1
        except BaseException:
            _ledger(conn, entries)
            raise
        else:
            with conn.transaction():
                _ledger(conn, entries)
                result = complete(
                    conn,
                    unit,
                    parts,
                    analyzer_kind=self.analyzer.kind,
                    cost_usd=round(sum(e.cost_usd for e in entries), 6),
                    ttl_days=self.engine.options.cache_ttl_days,
                    run_id=run_id,
                )
            report.evidence_total = len(result.analysis.evidence)
            report.unverified_quotes = result.unverified_quote_count
        return report + AnalysisRunReport.from_entries(entries), not (report.deferred or report.failures)

    def _analyze(self, request: AnalysisRequest, ctx: RequestContext) -> DimensionAnalysis:
        if isinstance(self.analyzer, ClaudeAnalyzer):
            return self.analyzer.analyze(request, context=ctx)
        started = time.monotonic()
        analysis = self.analyzer.analyze(request)
        ctx.record(
            LedgerEntry(
                model=self.analyzer.model,
                mode="offline",
                status="ok",
                run_id=ctx.run_id,
                call_id=request.transcript.call_id,
                dimension=request.dimension.value,
                latency_ms=int((time.monotonic() - started) * 1000),
            )
        )
        return analysis
