"""Gong's daily request budget kept in the warehouse, so every process (sensors, backfills, the CLI) shares it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from coaching_pipeline.gong.budget import utc_today
from coaching_pipeline.gong.errors import GongBudgetExceeded
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


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
            row = conn.execute(queries.SPEND_GONG_REQUEST_BUDGET, {"day": day, "n": n, "limit": self.limit}).fetchone()
        if row is None:
            raise GongBudgetExceeded(day.isoformat(), self.limit)

    def used(self) -> int:
        with connect(self.url) as conn:
            row = conn.execute(queries.GONG_REQUESTS_USED, {"day": self._today()}).fetchone()
        return int(row["requests"]) if row else 0
