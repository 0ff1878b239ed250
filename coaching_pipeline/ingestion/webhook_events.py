"""Stored Gong webhook deliveries as a source of partitions for the sensor, handed off exactly once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect

MAX_EVENTS_PER_TICK = 1000


class WebhookCall(BaseModel):
    event_id: int
    call_id: str
    call_started_at: datetime


def webhook_partitions(events: Sequence[WebhookCall], tz: ZoneInfo, first_day: date) -> dict[date, list[str]]:
    """Partition date (the call's start in `tz`) -> call ids; calls before the first partition are left out."""
    grouped: dict[date, set[str]] = defaultdict(set)
    for event in events:
        day = event.call_started_at.astimezone(tz).date()
        if day >= first_day:
            grouped[day].add(event.call_id)
    return {day: sorted(ids) for day, ids in sorted(grouped.items())}


def take_webhook_calls(url: str, handed_off: Sequence[int], limit: int = MAX_EVENTS_PER_TICK) -> list[WebhookCall]:
    """Mark what the previous tick handed off as consumed, then read the events no tick has handed off yet.

    The sensor puts the returned ids in its new cursor: Dagster stores that cursor with the tick's run request,
    so an event is consumed only once a run request for it was committed, and marking twice changes nothing.
    """
    with connect(url) as conn:
        if handed_off:
            conn.execute(queries.CONSUME_WEBHOOK_EVENTS, {"event_ids": list(handed_off)})
        rows = conn.execute(queries.PENDING_WEBHOOK_EVENTS, {"handed_off": list(handed_off), "limit": limit}).fetchall()
    return [WebhookCall.model_validate(r) for r in rows]
