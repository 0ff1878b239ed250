"""Daily request budgets, in memory and shared through Postgres."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import psycopg
import pytest

from coaching_pipeline.gong.budget import InMemoryBudget, RequestBudget
from coaching_pipeline.gong.errors import GongBudgetExceeded
from coaching_pipeline.ingestion.request_budget import PostgresBudget

# Days far from today, so other tests spending today's budget in the same database cannot interfere.
DAY = date(2001, 2, 3)
OTHER_DAY = date(2001, 2, 4)


def _budget_days(db: psycopg.Connection, *days: date) -> None:
    db.execute("delete from raw.gong_request_budget where day = any(%s)", (list(days),))


def test_in_memory_budget_refuses_past_limit() -> None:
    budget = InMemoryBudget(3, today=lambda: DAY)
    budget.spend(2)

    with pytest.raises(GongBudgetExceeded, match="2001-02-03"):
        budget.spend(2)

    assert budget.used() == 2


def test_in_memory_budget_resets_each_day() -> None:
    day = [DAY]
    budget = InMemoryBudget(1, today=lambda: day[0])
    budget.spend()
    day[0] = OTHER_DAY

    budget.spend()

    assert budget.used() == 1


def test_budgets_satisfy_the_protocol(database_url: str) -> None:
    assert isinstance(InMemoryBudget(1), RequestBudget)
    assert isinstance(PostgresBudget(database_url, 1), RequestBudget)


def test_postgres_budget_counts_spends(database_url: str, db: psycopg.Connection) -> None:
    _budget_days(db, DAY)
    budget = PostgresBudget(database_url, 10, today=lambda: DAY)

    budget.spend()
    budget.spend(3)

    assert budget.used() == 4
    assert db.execute("select requests from raw.gong_request_budget where day = %s", (DAY,)).fetchone() == {
        "requests": 4
    }


def test_postgres_budget_refusal_leaves_counter_unchanged(database_url: str, db: psycopg.Connection) -> None:
    _budget_days(db, DAY)
    budget = PostgresBudget(database_url, 5, today=lambda: DAY)
    budget.spend(4)

    with pytest.raises(GongBudgetExceeded):
        budget.spend(2)

    assert budget.used() == 4


def test_postgres_budget_refuses_a_first_spend_over_limit(database_url: str, db: psycopg.Connection) -> None:
    _budget_days(db, OTHER_DAY)
    budget = PostgresBudget(database_url, 2, today=lambda: OTHER_DAY)

    with pytest.raises(GongBudgetExceeded):
        budget.spend(3)

    assert budget.used() == 0


def test_postgres_budget_is_atomic_across_threads(database_url: str, db: psycopg.Connection) -> None:
    _budget_days(db, DAY)
    budget = PostgresBudget(database_url, 25, today=lambda: DAY)

    def spend() -> bool:
        try:
            budget.spend()
        except GongBudgetExceeded:
            return False
        return True

    with ThreadPoolExecutor(max_workers=6) as pool:
        granted = sum(pool.map(lambda _: spend(), range(40)))

    assert granted == 25 and budget.used() == 25
