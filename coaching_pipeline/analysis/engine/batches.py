"""Message Batches for backfills: half price, 1-hour cache TTL, and nothing lost or paid twice across a crash.

The batch id and its manifest are committed to coaching.message_batches before the first poll. Every run
starts by resuming uncollected batches; collection writes ledger, cache and analyses in one transaction with
the batch row locked, and ledger rows are keyed by `<batch id>:<custom id>`, so re-collecting cannot
double count.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer, RequestContext, RequestRejected
from coaching_pipeline.analysis.claude.resilience import Guard, SpendCapReached, WorkDeferred
from coaching_pipeline.analysis.engine import ledger, queries, store
from coaching_pipeline.analysis.engine.batch_collect import Collector
from coaching_pipeline.analysis.engine.batch_manifest import BatchAbandoned, BatchPending, Manifest, ManifestItem
from coaching_pipeline.analysis.engine.run_report import AnalysisRunReport
from coaching_pipeline.analysis.engine.store import CallRef
from coaching_pipeline.analysis.engine.work import Unit, Workbench, fail
from coaching_pipeline.warehouse.db import connect

Outcome = tuple[AnalysisRunReport, set[tuple[str, str]]]
log = logging.getLogger(__name__)


class BatchRunner:
    """Submits cache misses as one batch and collects batches, including those another process left behind."""

    def __init__(self, engine: Workbench, guard: Guard) -> None:
        if not isinstance(engine.analyzer, ClaudeAnalyzer):
            raise TypeError("batches need the Claude analyzer")
        self.engine = engine
        self.analyzer: ClaudeAnalyzer = engine.analyzer
        self.guard = guard

    def run(self, units: Sequence[Unit], run_id: str) -> Outcome:
        report, _ = self.submit(units, run_id)
        collected, done, _ = self.resume(run_id)
        return report + collected, done

    def submit(self, units: Sequence[Unit], run_id: str) -> tuple[AnalysisRunReport, str | None]:
        """Build one request per (call, dimension, chunk), reserve the spend, create and persist the batch."""
        report, requests, items, reserved = AnalysisRunReport(), [], [], 0.0
        with connect(self.engine.url, autocommit=True) as conn:
            for unit in units:
                built = self._requests_for(unit, start=len(requests))
                estimate = sum(self.analyzer.estimate(p, ttl="1h", batch=True)[1] for _, p in built)
                try:
                    self.guard.spend.reserve(estimate)
                except SpendCapReached as exc:
                    fail(conn, unit, deferred=True, reason=exc.reason, detail={"error": str(exc)})
                    report.deferred += 1
                    continue
                reserved += estimate
                items += [item for item, _ in built]
                requests += [{"custom_id": item.custom_id, "params": params} for item, params in built]
            if not requests:
                return report, None
            ctx = RequestContext(guard=self.guard, record=lambda e: ledger.record(conn, e), run_id=run_id)
            try:
                batch, _, _ = self.analyzer.call_api(
                    lambda: self.analyzer.client.messages.batches.create(requests=requests),
                    ctx,
                    call_id=None,
                    dimension=None,
                    tokens=0,
                    estimate_usd=0.0,
                )
            except WorkDeferred as exc:
                self.guard.spend.settle(reserved, 0.0)
                report.deferred += self._defer(conn, items, exc)
                return report, None
            manifest = Manifest(run_id=run_id, model=self.analyzer.model, estimate_usd=reserved, items=items)
            conn.execute(
                queries.INSERT_BATCH,
                {
                    "batch_id": batch.id,
                    "status": batch.processing_status,
                    "request_count": len(requests),
                    "requests": Jsonb(manifest.model_dump(mode="json")),
                },
            )
        return report, batch.id

    def _requests_for(self, unit: Unit, *, start: int) -> list[tuple[ManifestItem, dict[str, Any]]]:
        parts = self.engine.parts(unit.work)
        allowed = sorted(c.id for c in (unit.rubric.criteria_for(unit.work.rep_role) or unit.rubric.criteria))
        built = []
        for index, (transcript, weight) in enumerate(parts):
            params = self.analyzer.build_params(unit.request(self.engine.knowledge, transcript), ttl="1h")
            item = ManifestItem(
                custom_id=f"r{start + index}",
                call_id=unit.work.call.call_id,
                call_date=unit.work.call.call_date,
                dimension=unit.dimension,
                key=unit.key,
                allowed_criteria=allowed,
                part=index,
                parts=len(parts),
                start_ms=transcript.turns[0].start_ms if transcript.turns else 0,
                end_ms=transcript.turns[-1].end_ms if transcript.turns else 0,
                weight=weight,
            )
            built.append((item, params))
        return built

    @staticmethod
    def _defer(conn: psycopg.Connection, items: Sequence[ManifestItem], exc: WorkDeferred) -> int:
        """Record each (call, dimension) of the items as deferred; return how many."""
        units = {item.key.digest: item for item in items}
        for item in units.values():
            store.record_failure(
                conn,
                CallRef(call_id=item.call_id, call_date=item.call_date),
                item.dimension.value,
                item.key.rubric_version,
                status="deferred",
                reason=exc.reason,
                detail={"error": str(exc)},
            )
        return len(units)

    def resume(self, run_id: str, *, wait: bool = True) -> tuple[AnalysisRunReport, set[tuple[str, str]], set[str]]:
        """Poll and collect every uncollected batch, oldest first (also those of a process that died).

        Without `wait` each batch is polled once, so a synchronous run never blocks on a backfill; the cache
        keys of batches still in flight are returned so that run does not pay for them a second time.
        """
        report, done, in_flight = AnalysisRunReport(), set(), set()
        with connect(self.engine.url, autocommit=True) as conn:
            pending = conn.execute(queries.SELECT_UNCOLLECTED_BATCHES).fetchall()
        for row in pending:
            manifest = Manifest.model_validate(row["requests"])
            try:
                self.wait(row["batch_id"], run_id, max_seconds=None if wait else 0.0)
            except BatchPending:
                in_flight |= {item.key.digest for item in manifest.items}
                continue
            except WorkDeferred as exc:
                with connect(self.engine.url, autocommit=True) as conn:
                    report.deferred += self._defer(conn, manifest.items, exc)
                in_flight |= {item.key.digest for item in manifest.items}
                continue
            except RequestRejected as exc:
                # The API no longer knows the batch (another workspace, archived): its work is simply redone.
                log.warning("abandoning batch %s: %s", row["batch_id"], exc)
                with connect(self.engine.url, autocommit=True) as conn:
                    conn.execute(queries.ABANDON_BATCH, {"batch_id": row["batch_id"]})
                    report.deferred += self._defer(conn, manifest.items, BatchAbandoned(str(exc)))
                continue
            r, d = self.collect(row["batch_id"], manifest, run_id)
            report, done = report + r, done | d
        return report, done, in_flight

    def wait(self, batch_id: str, run_id: str, *, max_seconds: float | None = None) -> None:
        """Poll until the batch has ended; past the wait (default: configured) it stays for the next run."""
        options, clock = self.engine.options, self.engine.clock
        limit = options.batch_max_wait_seconds if max_seconds is None else max_seconds
        deadline = clock.monotonic() + limit
        ctx = RequestContext(guard=self.guard, run_id=run_id)
        while True:
            batch, _, _ = self.analyzer.call_api(
                lambda: self.analyzer.client.messages.batches.retrieve(batch_id),
                ctx,
                call_id=None,
                dimension=None,
                tokens=0,
                estimate_usd=0.0,
            )
            with connect(self.engine.url, autocommit=True) as conn:
                conn.execute(
                    queries.UPDATE_BATCH_STATUS,
                    {"batch_id": batch_id, "status": batch.processing_status, "ended_at": batch.ended_at},
                )
            if batch.processing_status == "ended":
                return
            if clock.monotonic() >= deadline:
                raise BatchPending(f"batch {batch_id} still {batch.processing_status}")
            clock.sleep(options.batch_poll_seconds)

    def collect(self, batch_id: str, manifest: Manifest, run_id: str) -> Outcome:
        """Turn results into ledger rows, cache entries and analyses, all in one transaction."""
        with connect(self.engine.url) as conn:
            locked = conn.execute(queries.LOCK_BATCH, {"batch_id": batch_id}).fetchone()
            if locked is None or locked["collected_at"] is not None:
                return AnalysisRunReport(), set()
            results = {r.custom_id: r.result for r in self.analyzer.client.messages.batches.results(batch_id)}
            outcome = Collector(self.engine, self.guard, conn, batch_id, manifest, run_id).collect(results)
            conn.execute(queries.MARK_BATCH_COLLECTED, {"batch_id": batch_id})
        return outcome
