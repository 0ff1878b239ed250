"""Per-dimension figures for one Dagster run: what each analysis asset reports as metadata."""

from __future__ import annotations

from datetime import date
from typing import Any

from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect

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


def ready_call_ids(url: str, start: date, end: date) -> list[str]:
    with connect(url) as conn:
        return [r["call_id"] for r in conn.execute(queries.READY_CALL_IDS_IN_RANGE, {"start": start, "end": end})]


def summarize_run(url: str, run_id: str, start: date, end: date) -> dict[Dimension, dict[str, Any]]:
    """The run's requests, tokens, dollars and cache hits (from the ledger), and the range's analyses."""
    summary = {d: dict(_ZERO) for d in Dimension}
    with connect(url) as conn:
        for sql, params in (
            (queries.RUN_LEDGER_BY_DIMENSION, {"run_id": run_id}),
            (queries.RUN_CACHE_BY_DIMENSION, {"run_id": run_id}),
            (queries.ANALYSES_BY_DIMENSION_IN_RANGE, {"start": start, "end": end}),
            (queries.FAILURES_BY_DIMENSION_IN_RANGE, {"start": start, "end": end}),
        ):
            for row in conn.execute(sql, params):
                if row["dimension"] in Dimension._value2member_map_:
                    summary[Dimension(row["dimension"])].update(
                        {k: _plain(v) for k, v in row.items() if k != "dimension"}
                    )
    for figures in summary.values():
        seen = figures["cache_hits"] + figures["cache_misses"]
        figures["cache_hit_rate"] = round(figures["cache_hits"] / seen, 4) if seen else None
    return summary


def _plain(value: Any) -> Any:
    """Decimals from SQL sums become floats so Dagster metadata renders them."""
    return float(value) if value is not None and not isinstance(value, int | str | bool) else value
