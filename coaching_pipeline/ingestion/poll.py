"""One poll of Gong: list the next window of calls, record them, and find partitions that need a run."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from coaching_pipeline.ingestion.calls import record_calls
from coaching_pipeline.ingestion.cursor import (
    DEFAULT_MAX_WINDOW,
    DEFAULT_OVERLAP,
    PollCursor,
    PollWindow,
    advance,
    next_window,
)
from coaching_pipeline.ingestion.webhook_events import take_webhook_calls, webhook_partitions
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect

PENDING_LOOKBACK = timedelta(days=14)


class PollResult(BaseModel):
    cursor: PollCursor
    window: PollWindow
    listed: int = 0
    new_calls: dict[date, list[str]] = Field(default_factory=dict)
    transcripts_ready: dict[date, list[str]] = Field(default_factory=dict)
    webhook_calls: dict[date, list[str]] = Field(default_factory=dict)

    def partitions(self) -> dict[date, list[str]]:
        """Partition date -> the call ids that make it worth a run (new calls, newly ready transcripts, or calls
        Gong announced by webhook)."""
        merged: dict[date, set[str]] = defaultdict(set)
        for source in (self.new_calls, self.transcripts_ready, self.webhook_calls):
            for day, ids in source.items():
                merged[day].update(ids)
        return {day: sorted(ids) for day, ids in sorted(merged.items())}


def run_key(day: date, call_ids: list[str]) -> str:
    """Deterministic: the same calls for the same day never launch a second run."""
    digest = hashlib.sha1(",".join(sorted(call_ids)).encode()).hexdigest()[:16]
    return f"gong-{day.isoformat()}-{digest}"


def _group(pairs: list[tuple[date, str]]) -> dict[date, list[str]]:
    grouped: dict[date, list[str]] = defaultdict(list)
    for day, call_id in pairs:
        grouped[day].append(call_id)
    return {day: sorted(ids) for day, ids in sorted(grouped.items())}


def poll_gong(
    url: str,
    client: Any,
    cursor: PollCursor,
    *,
    now: datetime,
    start: datetime,
    tz: ZoneInfo,
    overlap: timedelta = DEFAULT_OVERLAP,
    max_window: timedelta = DEFAULT_MAX_WINDOW,
) -> PollResult:
    window = next_window(cursor, now, start, overlap=overlap, max_window=max_window)
    listed = list(client.iter_calls(window.from_dt, window.to_dt))
    recorded = record_calls(url, listed, tz)
    new_calls = _group([(r.call_date, r.call_id) for r in recorded if r.inserted])
    fresh = {r.call_id for r in recorded if r.inserted}
    since = max(start, now - PENDING_LOOKBACK).astimezone(tz).date()
    with connect(url) as conn:
        pending = [r for r in conn.execute(queries.PENDING_CALLS, {"since": since}) if r["call_id"] not in fresh]
    ready: list[tuple[date, str]] = []
    if pending:
        available = client.fetch_transcripts([r["call_id"] for r in pending])
        ready = [(r["call_date"], r["call_id"]) for r in pending if r["call_id"] in available]
    webhook_calls = take_webhook_calls(url, cursor.webhook_events)
    return PollResult(
        cursor=advance(cursor, window, [e.event_id for e in webhook_calls]),
        window=window,
        listed=len(listed),
        new_calls=new_calls,
        transcripts_ready=_group(ready),
        webhook_calls=webhook_partitions(webhook_calls, tz, start.astimezone(tz).date()),
    )
