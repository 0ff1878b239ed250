"""Daily request budgets: Gong allows a company about 10,000 requests a day, shared by every client."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from coaching_pipeline.gong.errors import GongBudgetExceeded
from coaching_pipeline.warehouse.db import connect

_SPEND_SQL = Path(__file__).with_name("spend_request_budget.sql").read_text(encoding="utf-8")
_USED_SQL = Path(__file__).with_name("request_budget_used.sql").read_text(encoding="utf-8")


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


class PostgresBudget:
    """The budget shared by every process writing to the warehouse (sensors, backfills, the CLI).

    One atomic upsert per request: concurrent runs can never together pass the limit, and a refused
    spend leaves the counter unchanged.
    """

    def __init__(self, url: str, limit: int, *, today: Callable[[], date] = utc_today) -> None:
        self.url, self.limit, self._today = url, limit, today

    def spend(self, n: int = 1) -> None:
        day = self._today()
        with connect(self.url) as conn:
            row = conn.execute(_SPEND_SQL, {"day": day, "n": n, "limit": self.limit}).fetchone()
        if row is None:
            raise GongBudgetExceeded(day.isoformat(), self.limit)

    def used(self) -> int:
        with connect(self.url) as conn:
            row = conn.execute(_USED_SQL, {"day": self._today()}).fetchone()
        return int(row["requests"]) if row else 0
