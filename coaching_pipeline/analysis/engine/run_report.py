"""What one analysis run did and cost, returned to the Dagster asset as metadata."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from coaching_pipeline.analysis.ledger_entry import LedgerEntry


class AnalysisRunReport(BaseModel):
    run_id: str | None = None
    calls_considered: int = 0
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
            name: getattr(self, name) + getattr(other, name) for name in type(self).model_fields if name != "run_id"
        }
        summed["cost_usd"] = round(summed["cost_usd"], 6)
        return AnalysisRunReport(run_id=self.run_id or other.run_id, **summed)

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
