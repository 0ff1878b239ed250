"""The analysis engine: cache first, then Claude (sync or batch) or the offline analyzer, everything ledgered.

`analyze_partition` is what the Dagster asset calls; `analyze_calls` serves it and the MCP app.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import date

import psycopg

from coaching_pipeline.analysis import longcalls
from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer
from coaching_pipeline.analysis.claude.resilience import CircuitBreaker, Clock, Guard, SpendCap, SystemClock
from coaching_pipeline.analysis.engine import cache, ledger, store
from coaching_pipeline.analysis.engine.batch_choice import BatchPolicy, as_policy
from coaching_pipeline.analysis.engine.batches import BatchRunner
from coaching_pipeline.analysis.engine.breaker_store import PostgresBreakerStore, breaker_name
from coaching_pipeline.analysis.engine.cache import CacheKey
from coaching_pipeline.analysis.engine.estimate import RunEstimate, estimate_units
from coaching_pipeline.analysis.engine.options import EngineOptions
from coaching_pipeline.analysis.engine.run_report import AnalysisRunReport
from coaching_pipeline.analysis.engine.scopes import CallSkip, skip_for
from coaching_pipeline.analysis.engine.store import CallRef
from coaching_pipeline.analysis.engine.sync import SyncRunner
from coaching_pipeline.analysis.engine.work import CallWork, Unit, load_calls
from coaching_pipeline.analysis.offline.analyzer import OfflineAnalyzer
from coaching_pipeline.analysis.request import Analyzer
from coaching_pipeline.knowledge.kb import load_kb
from coaching_pipeline.knowledge.models import Dimension, KnowledgeDocument, Rubric
from coaching_pipeline.knowledge.rubrics import load_rubrics
from coaching_pipeline.settings import Settings, get_settings
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.warehouse.db import connect, ensure_migrated


class AnalysisEngine:
    """Holds what outlives one run: the analyzer, the circuit breaker, rubrics and knowledge base."""

    def __init__(
        self,
        url: str,
        analyzer: Analyzer,
        *,
        settings: Settings | None = None,
        options: EngineOptions | None = None,
        rubrics: Mapping[Dimension, Rubric] | None = None,
        knowledge: Sequence[KnowledgeDocument] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.url = url
        self.analyzer = analyzer
        self.settings = settings or get_settings()
        self.options = options or EngineOptions.from_settings(self.settings)
        self.clock = clock or SystemClock()
        self.breaker = CircuitBreaker(
            self.options.breaker_threshold,
            self.options.breaker_cooldown_seconds,
            self.clock,
            store=PostgresBreakerStore(url, breaker_name(analyzer)) if isinstance(analyzer, ClaudeAnalyzer) else None,
        )
        self._rubrics = dict(rubrics) if rubrics is not None else None
        self._knowledge = list(knowledge) if knowledge is not None else None
        self._token_counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def is_claude(self) -> bool:
        return isinstance(self.analyzer, ClaudeAnalyzer)

    @property
    def rubrics(self) -> dict[Dimension, Rubric]:
        if self._rubrics is None:
            if isinstance(self.analyzer, ClaudeAnalyzer):
                self._rubrics = self.analyzer.rubrics
            else:
                self._rubrics = dict(load_rubrics())
        return self._rubrics

    @property
    def knowledge(self) -> list[KnowledgeDocument]:
        if self._knowledge is None:
            self._knowledge = list(load_kb())
        return self._knowledge

    def prompt_version(self, dimension: Dimension) -> str:
        if isinstance(self.analyzer, ClaudeAnalyzer):
            return self.analyzer.prompt_version(dimension)
        return "none"

    def unit(self, work: CallWork, dimension: Dimension) -> Unit:
        rubric = self.rubrics[dimension]
        key = CacheKey(
            transcript_sha256=work.transcript_sha256,
            dimension=dimension.value,
            rubric_version=rubric.version,
            prompt_version=self.prompt_version(dimension),
            model=self.analyzer.model,
            redaction_version=self.options.redaction.version,
        )
        return Unit(work=work, dimension=dimension, rubric=rubric, key=key)

    def guard(self, conn: psycopg.Connection, run_id: str) -> Guard:
        """Per-run limits (spend read from the ledger, so a resumed run keeps its total), and the breaker as
        the last run, in any process, left it (coaching.claude_breaker)."""
        self.breaker.refresh()
        return Guard(
            concurrency=self.options.max_concurrency,
            tokens_per_minute=self.options.input_tokens_per_minute,
            breaker=self.breaker,
            spend=SpendCap(self.options.spend_cap_usd, ledger.run_spend(conn, run_id)),
            retry=self.options.retry,
            clock=self.clock,
        )

    def batches(self, guard: Guard) -> BatchRunner:
        return BatchRunner(self, guard)

    def parts(self, work: CallWork) -> list[tuple[Transcript, int]]:
        """The whole transcript, or its chunks past the token budget (tokens counted once per transcript)."""
        transcript = work.transcript
        with self._lock:
            tokens = self._token_counts.get(work.transcript_sha256)
        if tokens is None:
            tokens = longcalls.rendered_tokens(transcript)
            with self._lock:
                self._token_counts[work.transcript_sha256] = tokens
        if tokens <= self.options.transcript_token_budget:
            return [(transcript, tokens)]
        return longcalls.split(transcript, self.options.transcript_token_budget)

    def in_scope(self, works: Sequence[CallWork]) -> tuple[list[CallWork], list[tuple[CallRef, CallSkip]]]:
        """The calls whose scope COACHING_ANALYZE_SCOPES names, and the others with the reason to skip them."""
        kept, skipped = [], []
        for work in works:
            skip = skip_for(work.scope, work.affiliations, self.options.analyze_scopes)
            if skip is None:
                kept.append(work)
            else:
                skipped.append((work.call, skip))
        return kept, skipped

    def apply_scopes(self, works: Sequence[CallWork]) -> tuple[list[CallWork], int]:
        """The calls to analyse; every other call is recorded as skipped with its reason
        (coaching.analysis_skips), and a call analysed now loses a skip recorded before."""
        kept, skipped = self.in_scope(works)
        if works:
            with connect(self.url, autocommit=True) as conn:
                store.record_skips(conn, skipped, [work.call.call_id for work in kept])
        return kept, len(skipped)

    def estimate(
        self, works: Sequence[CallWork], dimensions: Sequence[Dimension], *, refresh: bool = False
    ) -> RunEstimate:
        """What `run` would cost for these calls: expected cache hits, then the misses' tokens and dollars (calls
        it would skip cost nothing)."""
        units = [self.unit(work, d) for work in self.in_scope(works)[0] for d in dimensions]
        return estimate_units(self.url, self.analyzer, units, self.knowledge, self.parts, refresh=refresh)

    def analyze_partition(
        self,
        call_date: date,
        dimensions: Dimension | Sequence[Dimension],
        *,
        run_id: str | None = None,
        use_batch: bool | BatchPolicy = False,
        wait_for_batch: bool = True,
    ) -> AnalysisRunReport:
        with connect(self.url, autocommit=True) as conn:
            works = load_calls(conn, call_date=call_date, redaction=self.options.redaction)
        return self.run(works, dimensions, run_id=run_id, use_batch=use_batch, wait_for_batch=wait_for_batch)

    def analyze_calls(
        self,
        call_ids: Sequence[str],
        dimensions: Dimension | Sequence[Dimension],
        *,
        run_id: str | None = None,
        use_batch: bool | BatchPolicy = False,
        wait_for_batch: bool = True,
        refresh: bool = False,
    ) -> AnalysisRunReport:
        with connect(self.url, autocommit=True) as conn:
            works = load_calls(conn, call_ids=call_ids, redaction=self.options.redaction)
        return self.run(
            works, dimensions, run_id=run_id, use_batch=use_batch, wait_for_batch=wait_for_batch, refresh=refresh
        )

    def run(
        self,
        works: Sequence[CallWork],
        dimensions: Dimension | Sequence[Dimension],
        *,
        run_id: str | None = None,
        use_batch: bool | BatchPolicy = False,
        wait_for_batch: bool = True,
        refresh: bool = False,
    ) -> AnalysisRunReport:
        """Skip the calls whose scope is not analysed, collect unfinished batches, serve cache hits, then
        analyse the misses (sync or as one batch, as `use_batch` decides for the calls left).

        With `wait_for_batch=False` the batch is only submitted and persisted; a later run collects it.
        `refresh` skips the cache lookup (an on-demand re-analysis); the new result replaces the cached one.
        """
        dims = [dimensions] if isinstance(dimensions, Dimension) else list(dimensions)
        run_id = run_id or uuid.uuid4().hex
        considered = len(works)
        works, skipped = self.apply_scopes(works)
        choice = as_policy(use_batch).choose("claude" if self.is_claude else "offline", len(works))
        batch = choice.use_batch
        report = AnalysisRunReport(run_id=run_id, calls_considered=considered, calls_skipped=skipped, batch=choice)
        done: set[tuple[str, str]] = set()
        with connect(self.url, autocommit=True) as conn:
            guard = self.guard(conn, run_id)
            in_flight: set[str] = set()
            if self.is_claude:
                collected, _, in_flight = self.batches(guard).resume(run_id, wait=batch and wait_for_batch)
                report += collected
            pending = []
            for unit in (self.unit(work, d) for work in works for d in dims):
                if unit.key.digest in in_flight:
                    report.deferred += 1  # a batch still being processed will deliver it
                    continue
                served = AnalysisRunReport() if refresh else self._serve_from_cache(conn, unit, run_id)
                report += served
                if served.cache_hits:
                    done.add((unit.work.call.call_id, unit.dimension.value))
                else:
                    pending.append(unit)
        if batch and not wait_for_batch:
            submitted, _ = self.batches(guard).submit(pending, run_id)
            outcome = (submitted, set())
        elif batch:
            outcome = self.batches(guard).run(pending, run_id)
        else:
            outcome = SyncRunner(self, guard).run(pending, run_id)
        report += outcome[0]
        done |= outcome[1]
        report.calls_analysed = sum(all((w.call.call_id, d.value) in done for d in dims) for w in works)
        return report

    def _serve_from_cache(self, conn: psycopg.Connection, unit: Unit, run_id: str) -> AnalysisRunReport:
        """A hit is stored as the call's analysis with no request; a miss is only logged."""
        call_id = unit.work.call.call_id
        hit = cache.lookup(conn, unit.key)
        cache.record_event(
            conn,
            unit.key,
            call_id=call_id,
            is_hit=hit is not None,
            saved_usd=hit.cost_usd if hit else 0.0,
            run_id=run_id,
        )
        if hit is None:
            return AnalysisRunReport(cache_misses=1)
        store.save_analysis(conn, unit.work.call, unit.key, hit, run_id=run_id)
        return AnalysisRunReport(
            cache_hits=1,
            evidence_total=len(hit.analysis.evidence),
            unverified_quotes=hit.unverified_quote_count,
        )


def build_analyzer(settings: Settings | None = None) -> Analyzer:
    """Claude when ANTHROPIC_API_KEY is set, else the deterministic offline analyzer."""
    settings = settings or get_settings()
    if settings.claude_configured:
        return ClaudeAnalyzer(settings)
    return OfflineAnalyzer()


def analyze_calls(
    url: str,
    call_ids: Sequence[str],
    dimensions: Dimension | Sequence[Dimension],
    *,
    analyzer: Analyzer,
    run_id: str | None = None,
    use_batch: bool | BatchPolicy = False,
    settings: Settings | None = None,
) -> AnalysisRunReport:
    ensure_migrated(url)
    engine = AnalysisEngine(url, analyzer, settings=settings)
    return engine.analyze_calls(call_ids, dimensions, run_id=run_id, use_batch=use_batch)


def analyze_partition(
    url: str,
    call_date: date,
    dimension: Dimension | Sequence[Dimension],
    *,
    analyzer: Analyzer,
    run_id: str | None = None,
    use_batch: bool | BatchPolicy = False,
    settings: Settings | None = None,
) -> AnalysisRunReport:
    """Analyse every call of `call_date` with a ready transcript; pass all four dimensions in one call to let
    them share the cached transcript prefix."""
    ensure_migrated(url)
    engine = AnalysisEngine(url, analyzer, settings=settings)
    return engine.analyze_partition(call_date, dimension, run_id=run_id, use_batch=use_batch)
