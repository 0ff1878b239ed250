"""Review weeks: ISO weeks starting Monday, named like 2026-W47, in COACHING_TIMEZONE."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from coaching_pipeline.reviews.errors import ReviewWeekError

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def week_start_of(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def parse_week(text: str) -> date:
    """The Monday of an ISO week (`2026-W47`) or of the week holding a date (`2026-11-18`)."""
    value = text.strip()
    match = _ISO_WEEK.match(value)
    try:
        if match:
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        return week_start_of(date.fromisoformat(value))
    except ValueError:
        pass
    raise ReviewWeekError(f"not a week: {text!r} (use an ISO week like 2026-W47, or a date like 2026-11-16)")


def week_label(week_start: date) -> str:
    """`2026-W47` for the week starting Monday 2026-11-16."""
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def week_end(week_start: date) -> date:
    """The Sunday closing the week (inclusive)."""
    return week_start + timedelta(days=6)


def last_complete_week(now: datetime, timezone: ZoneInfo) -> date:
    """The Monday of the latest week that has fully ended at `now` in `timezone`."""
    today = now.astimezone(timezone).date()
    return week_start_of(today) - timedelta(days=7)
