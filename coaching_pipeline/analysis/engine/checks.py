"""Invariant behind the analysis asset checks: scores within 1-5 and every stored quote verified."""

from __future__ import annotations

from datetime import date

from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


def analyses_out_of_range(url: str, start: date, end: date, dimension: Dimension) -> list[str]:
    with connect(url) as conn:
        rows = conn.execute(
            queries.ANALYSES_OUT_OF_RANGE, {"start": start, "end": end, "dimension": dimension.value}
        ).fetchall()
    return [r["call_id"] for r in rows]
