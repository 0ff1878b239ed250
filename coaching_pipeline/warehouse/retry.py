"""Connecting to Postgres through a restart: retry transient connection failures with capped exponential backoff.

Only the opening of a connection is retried. A statement whose connection dies mid-transaction is rolled back by
the server and surfaces as an error of its step, whose re-run is idempotent; retrying it here could repeat work
whose outcome is unknown. (No retry library is a dependency, and this is the one place that needs one.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import psycopg

T = TypeVar("T")

FIRST_DELAY_SECONDS = 0.25
MAX_DELAY_SECONDS = 5.0


@dataclass
class RetryRecord:
    """What a successful retry went through, to be recorded as a `postgres_retry` pipeline event."""

    attempts: int = 1
    waited_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def retried(self) -> bool:
        return self.attempts > 1


def is_transient(exc: BaseException) -> bool:
    """A connection that could not be opened: server down, restarting, starting up or refusing for now.
    Authentication and unknown-database errors are OperationalErrors too, but waiting does not fix them."""
    if not isinstance(exc, psycopg.OperationalError):
        return False
    message = str(exc).lower()
    permanent = ("password authentication failed", "does not exist", "no password supplied", "role ")
    return not any(marker in message for marker in permanent)


def retry_transient(
    attempt: Callable[[], T],
    *,
    budget_seconds: float,
    record: RetryRecord | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call `attempt` until it succeeds, raises a non-transient error, or `budget_seconds` of waiting are spent
    (then the last error is raised). Delays double from FIRST_DELAY_SECONDS up to MAX_DELAY_SECONDS."""
    record = record if record is not None else RetryRecord()
    deadline = clock() + budget_seconds
    delay = FIRST_DELAY_SECONDS
    while True:
        try:
            return attempt()
        except psycopg.OperationalError as exc:
            remaining = deadline - clock()
            if not is_transient(exc) or remaining <= 0:
                raise
            record.errors.append(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
            pause = min(delay, remaining)
            sleep(pause)
            record.waited_seconds += pause
            record.attempts += 1
            delay = min(delay * 2, MAX_DELAY_SECONDS)
