"""Daily request budgets: Gong allows a company about 10,000 requests a day, shared by every client."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Protocol, runtime_checkable

from coaching_pipeline.gong.errors import GongBudgetExceeded


def utc_today() -> date:
    return datetime.now(UTC).date()


@runtime_checkable
class RequestBudget(Protocol):
    """Counts every HTTP request (retries included) and refuses once the day's limit is reached."""

    def spend(self, n: int = 1) -> None: ...


class InMemoryBudget:
    """A per-process budget for tests, scripts and one-off backfills."""

    def __init__(self, limit: int, *, today: Callable[[], date] = utc_today) -> None:
        self.limit, self._today = limit, today
        self._used: dict[date, int] = {}
        self._lock = threading.Lock()

    def spend(self, n: int = 1) -> None:
        day = self._today()
        with self._lock:
            used = self._used.get(day, 0)
            if used + n > self.limit:
                raise GongBudgetExceeded(day.isoformat(), self.limit)
            self._used[day] = used + n

    def used(self) -> int:
        return self._used.get(self._today(), 0)
