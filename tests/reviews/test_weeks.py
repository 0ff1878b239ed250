"""Review weeks: ISO weeks or dates in, Mondays out; the last complete week depends on the time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching_pipeline.reviews.errors import ReviewWeekError
from coaching_pipeline.reviews.weeks import last_complete_week, parse_week, week_label


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W47", date(2026, 11, 16)),
        ("2026w47", date(2026, 11, 16)),
        ("2026-W01", date(2025, 12, 29)),
        ("2026-11-18", date(2026, 11, 16)),
        (" 2026-11-22 ", date(2026, 11, 16)),
    ],
)
def test_weeks_parse_iso_weeks_and_dates(text: str, monday: date) -> None:
    assert parse_week(text) == monday


@pytest.mark.parametrize("text", ["2026-W54", "2026-W00", "last week", "2026-13-01", ""])
def test_weeks_reject_what_is_not_a_week(text: str) -> None:
    with pytest.raises(ReviewWeekError, match="2026-W47"):
        parse_week(text)


def test_weeks_label_is_the_iso_week() -> None:
    assert week_label(date(2026, 11, 16)) == "2026-W47"
    assert week_label(date(2025, 12, 29)) == "2026-W01"


def test_weeks_last_complete_week_follows_the_time_zone() -> None:
    # Monday 2026-11-23 02:00 UTC is still Sunday evening in Los Angeles.
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    assert last_complete_week(now, ZoneInfo("UTC")) == date(2026, 11, 16)
    assert last_complete_week(now, ZoneInfo("America/Los_Angeles")) == date(2026, 11, 9)
