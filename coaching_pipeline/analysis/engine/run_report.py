"""What one analysis run did and cost: the engine's running totals, and the per-dimension figures the
Dagster assets report as metadata (read back from the ledger, cache events and stored analyses)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel

from coaching_pipeline.analysis.engine.batch_choice import BatchChoice
from coaching_pipeline.analysis.ledger_entry import LedgerEntry
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


class AnalysisRunReport(BaseModel):
    run_id: str | None = None
    batch: BatchChoice | None = None
    calls_considered: int = 0
    calls_skipped: int = 0
    calls_analysed: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    failures: int = 0
    deferred: int = 0
    api_requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost_usd: float = 0.0
    unverified_quotes: int = 0
    evidence_total: int = 0

    def __add__(self, other: AnalysisRunReport) -> AnalysisRunReport:
        summed = {
            name: getattr(self, name) + getattr(other, name)
            for name in type(self).model_fields
            if name not in ("run_id", "batch")
        }
        summed["cost_usd"] = round(summed["cost_usd"], 6)
        return AnalysisRunReport(run_id=self.run_id or other.run_id, batch=self.batch or other.batch, **summed)

    @classmethod
    def from_entries(cls, entries: Iterable[LedgerEntry]) -> AnalysisRunReport:
        """Token and dollar totals of ledgered requests; offline rows are not API requests."""
        report = cls()
        for entry in entries:
            report.api_requests += entry.mode != "offline"
            report.input_tokens += entry.usage.input_tokens
            report.output_tokens += entry.usage.output_tokens
            report.cache_write_tokens += entry.usage.cache_write_tokens
            report.cache_read_tokens += entry.usage.cache_read_tokens
            report.cost_usd = round(report.cost_usd + entry.cost_usd, 6)
        return report


_ZERO = {
    "api_requests": 0,
    "input_tokens": 0,
    "output_tokens": 0,
    "cache_write_tokens": 0,
    "cache_read_tokens": 0,
    "cost_usd": 0.0,
    "cache_hits": 0,
    "cache_misses": 0,
    "saved_usd": 0.0,
    "calls_analysed": 0,
    "evidence": 0,
    "unverified_quotes": 0,
    "mean_score": None,
    "failures": 0,
    "deferred": 0,
}


def summarize_run(url: str, run_id: str, start: date, end: date) -> dict[date, dict[Dimension, dict[str, Any]]]:
    """Per call date and dimension of [start, end): the run's requests, tokens, dollars and cache hits (from
    the ledger), and the day's analyses, failures and deferrals. Days without any are absent."""
    summary: dict[date, dict[Dimension, dict[str, Any]]] = {}
    params = {"run_id": run_id, "start": start, "end": end}
    with connect(url) as conn:
        for sql in (
            queries.RUN_LEDGER_BY_DAY,
            queries.RUN_CACHE_BY_DAY,
            queries.ANALYSES_BY_DAY,
            queries.FAILURES_BY_DAY,
        ):
            for row in conn.execute(sql, params):
                if row["dimension"] not in Dimension._value2member_map_ or row["call_date"] is None:
                    continue
                day = summary.setdefault(row["call_date"], {d: dict(_ZERO) for d in Dimension})
                day[Dimension(row["dimension"])].update(
                    {k: _plain(v) for k, v in row.items() if k not in ("call_date", "dimension")}
                )
    for day in summary.values():
        for figures in day.values():
            seen = figures["cache_hits"] + figures["cache_misses"]
            figures["cache_hit_rate"] = round(figures["cache_hits"] / seen, 4) if seen else None
    return summary


def empty_figures() -> dict[str, Any]:
    """A dimension's figures for a day the run did nothing on."""
    return {**_ZERO, "cache_hit_rate": None}


def skips_by_day(url: str, start: date, end: date) -> dict[date, dict[str, int]]:
    """Calls of each day of the range the analyses skip, per reason (coaching.analysis_skips)."""
    skips: dict[date, dict[str, int]] = {}
    with connect(url) as conn:
        for row in conn.execute(queries.SKIPS_BY_DAY_AND_REASON, {"start": start, "end": end}):
            skips.setdefault(row["call_date"], {})[row["reason"]] = row["calls"]
    return skips


def ready_calls_by_day(url: str, start: date, end: date) -> dict[date, int]:
    """Calls of each day of the range whose transcript is ready: what the analyses of that day work on."""
    with connect(url) as conn:
        rows = conn.execute(queries.READY_CALLS_BY_DAY, {"start": start, "end": end}).fetchall()
    return {row["call_date"]: row["calls"] for row in rows}


def _plain(value: Any) -> Any:
    """Decimals from SQL sums become floats so Dagster metadata renders them."""
    return float(value) if value is not None and not isinstance(value, int | str | bool) else value
