"""The polling sensor's cursor: which window of Gong call listings to read next (pure, no I/O)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from coaching_pipeline.ingestion.backoff import GongBackoff

DEFAULT_OVERLAP = timedelta(hours=6)
DEFAULT_MAX_WINDOW = timedelta(days=31)


class PollCursor(BaseModel):
    """Stored as the sensor's JSON cursor.

    `listed_until` is the exclusive end of the last window listed. Each poll re-reads `overlap` before it, because
    Gong can list a call some time after it started (processing lag), and the warehouse upsert makes re-reading free
    of duplicates.
    """

    listed_until: datetime | None = None
    ticks: int = Field(default=0, ge=0)
    webhook_events: list[int] = Field(
        default_factory=list,
        description="Webhook events the last tick turned into its run request; the next tick marks them consumed, "
        "so a tick whose result was lost hands the same events off again.",
    )
    backoff: GongBackoff | None = Field(
        default=None,
        description="Set while Gong is failing: the sensor sends nothing before `backoff.until`; the first "
        "successful poll clears it and lists on from `listed_until`, so no call is missed.",
    )

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, raw: str | None) -> PollCursor:
        return cls.model_validate_json(raw) if raw else cls()


class PollWindow(BaseModel):
    from_dt: datetime
    to_dt: datetime
    caught_up: bool = Field(description="True when the window reaches `now`: no older backlog remains.")


def next_window(
    cursor: PollCursor,
    now: datetime,
    start: datetime,
    *,
    overlap: timedelta = DEFAULT_OVERLAP,
    max_window: timedelta = DEFAULT_MAX_WINDOW,
) -> PollWindow:
    """The window to list on this tick: from the cursor (minus overlap) forward by at most `max_window`.

    Bounding the window keeps one sensor tick well inside Dagster's 60 s evaluation limit on a first backfill;
    later ticks continue from the cursor until caught up.
    """
    begin = start if cursor.listed_until is None else max(start, cursor.listed_until - overlap)
    end = min(now, begin + max_window + (overlap if cursor.listed_until else timedelta(0)))
    return PollWindow(from_dt=begin, to_dt=max(end, begin), caught_up=end >= now)


def advance(cursor: PollCursor, window: PollWindow, webhook_events: list[int] | None = None) -> PollCursor:
    return PollCursor(listed_until=window.to_dt, ticks=cursor.ticks + 1, webhook_events=webhook_events or [])
