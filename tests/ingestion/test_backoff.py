"""The sensor's back-off arithmetic: doubling with a cap, Gong's Retry-After, a spent daily budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coaching_pipeline.gong.errors import GongBudgetExceeded, GongUnavailableError
from coaching_pipeline.ingestion.backoff import BackoffPolicy, back_off

NOW = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)
POLICY = BackoffPolicy(first=timedelta(minutes=5), cap=timedelta(minutes=30))
DOWN = GongUnavailableError("GET /v2/calls", 6, "503")


def test_back_off_doubles_from_the_first_wait_up_to_the_cap() -> None:
    backoff, waits = None, []
    for minute in range(5):
        backoff = back_off(backoff, DOWN, NOW + timedelta(minutes=minute), POLICY)
        waits.append(backoff.until - (NOW + timedelta(minutes=minute)))
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 30, 30)]
    assert backoff is not None and backoff.since == NOW and backoff.failures == 5


def test_back_off_waits_as_long_as_gongs_retry_after_when_longer() -> None:
    limited = GongUnavailableError("GET /v2/calls", 1, "429", retry_after=5400)
    assert back_off(None, limited, NOW, POLICY).until == NOW + timedelta(seconds=5400)
    brief = GongUnavailableError("GET /v2/calls", 6, "429", retry_after=2)
    assert back_off(None, brief, NOW, POLICY).until == NOW + timedelta(minutes=5)


def test_back_off_waits_for_the_next_utc_day_when_the_daily_budget_is_spent() -> None:
    spent = GongBudgetExceeded("2026-11-20", 10_000)
    assert back_off(None, spent, NOW, POLICY).until == datetime(2026, 11, 21, tzinfo=UTC)
