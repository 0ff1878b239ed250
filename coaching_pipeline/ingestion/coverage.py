"""Invariant behind an asset check: every call has a ready transcript or a recorded reason why not (a
transcript purged by retention counts as covered)."""

from __future__ import annotations

from datetime import date

from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


def uncovered_calls(url: str, start: date, end: date) -> list[str]:
    with connect(url) as conn:
        rows = conn.execute(queries.PARTITION_COVERAGE, {"start": start, "end": end}).fetchall()
    return sorted(
        r["call_id"] for r in rows if r["transcript_status"] not in ("ready", "purged") and r["reason"] is None
    )
