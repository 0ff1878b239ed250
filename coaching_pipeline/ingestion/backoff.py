"""When the sensor tries Gong again after a failed poll: exponential back-off with a cap, Gong's Retry-After
honoured, a spent daily budget waited out until the next UTC day. The arithmetic is pure; `record_backoff`
writes the one `gong_backoff` event of each back-off."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field

from coaching_pipeline.gong.errors import GongBudgetExceeded, GongError, GongUnavailableError
from coaching_pipeline.settings import Settings
from coaching_pipeline.warehouse.db import connect
from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event

# Gong's own daily limit answers 429 with the seconds to its reset; never wait longer than a day on one ask.
MAX_RETRY_AFTER = timedelta(days=1)
OUTAGE_ERRORS: tuple[type[GongError], ...] = (GongUnavailableError, GongBudgetExceeded)


class BackoffPolicy(BaseModel):
    first: timedelta = Field(default=timedelta(minutes=5), description="GONG_BACKOFF_SECONDS")
    cap: timedelta = Field(default=timedelta(hours=1), description="GONG_BACKOFF_MAX_SECONDS")

    @classmethod
    def from_settings(cls, settings: Settings) -> BackoffPolicy:
        return cls(
            first=timedelta(seconds=settings.gong_backoff_seconds),
            cap=timedelta(seconds=settings.gong_backoff_max_seconds),
        )

    def delay(self, failures: int) -> timedelta:
        """first, 2 x first, 4 x first, ... up to cap, for the 1st, 2nd, 3rd ... failed poll in a row."""
        return min(self.cap, self.first * 2 ** min(failures - 1, 30))


class GongBackoff(BaseModel):
    """Kept in the sensor's cursor while Gong is failing; a successful poll clears it."""

    failures: int = Field(ge=1, description="Polls that failed in a row.")
    since: datetime = Field(description="When the first of them failed.")
    until: datetime = Field(description="No request to Gong before this instant.")
    reason: str

    def waiting(self, now: datetime) -> bool:
        return now < self.until

    def describe(self) -> str:
        return (
            f"Gong unavailable since {self.since.isoformat()} ({self.failures} failed polls, last: {self.reason}); "
            f"backing off until {self.until.isoformat()}"
        )


def _retry_after(error: GongError, now: datetime) -> timedelta | None:
    if isinstance(error, GongBudgetExceeded):
        return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time.min, tzinfo=UTC) - now
    seconds = getattr(error, "retry_after", None)
    return min(MAX_RETRY_AFTER, timedelta(seconds=seconds)) if seconds is not None else None


def back_off(
    previous: GongBackoff | None, error: GongError, now: datetime, policy: BackoffPolicy | None = None
) -> GongBackoff:
    """The next back-off after `error`: the longer of the exponential delay and what Gong asked for."""
    failures = (previous.failures if previous else 0) + 1
    delay = (policy or BackoffPolicy()).delay(failures)
    asked = _retry_after(error, now)
    if asked is not None:
        delay = max(delay, asked)
    return GongBackoff(
        failures=failures,
        since=previous.since if previous else now,
        until=now + delay,
        reason=str(error),
    )


def record_backoff(url: str, previous_cursor: str | None, backoff: GongBackoff, error: GongError) -> bool:
    """One `gong_backoff` event per back-off. Keyed by the cursor the failed tick started from, so a tick that
    Dagster evaluates again from the same cursor records nothing new."""
    key = hashlib.sha256(f"gong_backoff\x1f{previous_cursor or ''}".encode()).hexdigest()
    detail: dict[str, Any] = {
        "failures": backoff.failures,
        "since": backoff.since.isoformat(),
        "until": backoff.until.isoformat(),
        "reason": backoff.reason,
        "error": type(error).__name__,
        "status": getattr(error, "last_status", None),
        "retry_after_seconds": getattr(error, "retry_after", None),
    }
    with connect(url, autocommit=True) as conn:
        return record_pipeline_event(conn, "gong_backoff", event_key=key, detail=detail)
