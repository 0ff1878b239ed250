"""Record call metadata listed by Gong into raw.calls (idempotent upsert)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from coaching_pipeline.ingestion.records import call_row, raw_dict
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


class RecordedCall(BaseModel):
    call_id: str
    call_date: date
    inserted: bool


def record_calls(url: str, calls: Iterable[Any], tz: ZoneInfo) -> list[RecordedCall]:
    """Upsert listed calls in one transaction; `inserted` marks calls the warehouse had never seen."""
    rows = [call_row(raw_dict(c), tz) for c in calls]
    recorded: list[RecordedCall] = []
    with connect(url) as conn:
        for row in rows:
            result = conn.execute(queries.UPSERT_CALL, row).fetchone()
            if result is not None:
                recorded.append(RecordedCall(**result))
    return recorded
