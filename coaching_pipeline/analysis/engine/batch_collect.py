"""Collecting one ended Message Batch: results -> ledger rows, verified analyses, cache entries, failures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg

from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer, RequestContext, RequestRejected
from coaching_pipeline.analysis.claude.replies import MalformedReply, parse_reply, reply_text
from coaching_pipeline.analysis.claude.resilience import Guard, WorkDeferred
from coaching_pipeline.analysis.costs import TokenUsage, cost_usd
from coaching_pipeline.analysis.engine import ledger
from coaching_pipeline.analysis.engine.batch_manifest import Manifest, ManifestItem
from coaching_pipeline.analysis.engine.run_report import AnalysisRunReport
from coaching_pipeline.analysis.engine.work import Unit, Workbench, complete, fail, load_calls
from coaching_pipeline.analysis.ledger_entry import LedgerEntry, Status
from coaching_pipeline.analysis.longcalls import window
from coaching_pipeline.analysis.models import DimensionAnalysis

Outcome = tuple[AnalysisRunReport, set[tuple[str, str]]]


class BatchItemDeferred(WorkDeferred):
    """The item expired, was canceled or errored transiently: analyse it again next run."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class Collector:
    """Turns one ended batch's results into ledger rows, analyses, cache entries and failures, on `conn`."""

    def __init__(
        self,
        engine: Workbench,
        guard: Guard,
        conn: psycopg.Connection,
        batch_id: str,
        manifest: Manifest,
        run_id: str,
    ) -> None:
        if not isinstance(engine.analyzer, ClaudeAnalyzer):
            raise TypeError("batches need the Claude analyzer")
        self.engine = engine
        self.analyzer: ClaudeAnalyzer = engine.analyzer
        self.guard = guard
        self.conn = conn
        self.batch_id = batch_id
        self.manifest = manifest
        self.run_id = run_id
        self.entries: list[LedgerEntry] = []

    def record(self, entry: LedgerEntry) -> None:
        """Ledger once per request id; batch costs count towards the current run's spend cap."""
        if ledger.record(self.conn, entry):
            self.entries.append(entry)
            if entry.mode == "batch":
                self.guard.spend.settle(0.0, entry.cost_usd)

    def collect(self, results: Mapping[str, Any]) -> Outcome:
        if self.manifest.run_id == self.run_id:
            self.guard.spend.settle(self.manifest.estimate_usd, 0.0)
        call_ids = sorted({item.call_id for item in self.manifest.items})
        loaded = load_calls(self.conn, call_ids=call_ids, redaction=self.engine.options.redaction)
        works = {w.call.call_id: w for w in loaded}
        groups: dict[str, list[ManifestItem]] = {}
        for item in sorted(self.manifest.items, key=lambda i: (i.key.digest, i.part)):
            groups.setdefault(item.key.digest, []).append(item)
        report, done = AnalysisRunReport(), set()
        for items in groups.values():
            first = items[0]
            work = works.get(first.call_id)
            if work is None:
                continue
            unit = Unit(
                work=work,
                dimension=first.dimension,
                rubric=self.engine.rubrics[first.dimension],
                key=first.key,
            )
            before = len(self.entries)
            try:
                parts = [(self._part(unit, item, results.get(item.custom_id)), item.weight) for item in items]
            except WorkDeferred as exc:
                fail(self.conn, unit, deferred=True, reason=exc.reason, detail={"error": str(exc)}, run_id=self.run_id)
                report.deferred += 1
                continue
            except (MalformedReply, RequestRejected) as exc:
                reason = "malformed_reply" if isinstance(exc, MalformedReply) else "request_rejected"
                fail(self.conn, unit, deferred=False, reason=reason, detail={"error": str(exc)[:2000]})
                report.failures += 1
                continue
            result = complete(
                self.conn,
                unit,
                parts,
                analyzer_kind="claude",
                cost_usd=round(sum(e.cost_usd for e in self.entries[before:]), 6),
                ttl_days=self.engine.options.cache_ttl_days,
                run_id=self.run_id,
            )
            report.evidence_total += len(result.analysis.evidence)
            report.unverified_quotes += result.unverified_quote_count
            done.add((unit.work.call.call_id, unit.dimension.value))
        return report + AnalysisRunReport.from_entries(self.entries), done

    def _entry(self, item: ManifestItem, status: Status, **fields: Any) -> LedgerEntry:
        return LedgerEntry(
            model=self.manifest.model,
            mode="batch",
            status=status,
            request_id=f"{self.batch_id}:{item.custom_id}",
            run_id=self.manifest.run_id,
            call_id=item.call_id,
            dimension=item.dimension.value,
            **fields,
        )

    def _part(self, unit: Unit, item: ManifestItem, result: Any) -> DimensionAnalysis:
        if result is None or result.type != "succeeded":
            kind = "missing" if result is None else result.type
            error = getattr(getattr(getattr(result, "error", None), "error", None), "type", None)
            self.record(self._entry(item, "errored" if kind == "missing" else kind, error=error or kind))
            if error == "invalid_request_error":
                raise RequestRejected(f"batch request {item.custom_id} rejected: {error}")
            raise BatchItemDeferred(f"batch request {item.custom_id} {kind}", reason=f"batch_{kind}")
        message = result.message
        usage = TokenUsage.from_api(message.usage, "1h")
        dollars = cost_usd(self.analyzer.prices, self.manifest.model, usage, batch=True)
        text = reply_text(message)
        try:
            analysis = parse_reply(text, item.dimension, set(item.allowed_criteria))
        except ValueError as exc:
            self.record(self._entry(item, "invalid", usage=usage, cost_usd=dollars, error=str(exc)))
            transcript = unit.work.transcript
            if item.parts > 1:
                transcript = window(transcript, item.start_ms, item.end_ms)
            request = unit.request(self.engine.knowledge, transcript)
            params = self.analyzer.build_params(request, ttl="1h")
            ctx = RequestContext(guard=self.guard, record=self.record, run_id=self.run_id, ttl="1h")
            return self.analyzer.repair(request, params, text, exc, context=ctx)
        self.record(self._entry(item, "ok", usage=usage, cost_usd=dollars))
        return analysis
