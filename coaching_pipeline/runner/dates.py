"""The dates `coaching run` accepts: real days, from COACHING_START_DATE up to today, in order."""

from __future__ import annotations

from datetime import date

from coaching_pipeline.runner.errors import RangeError


def parse_day(option: str, value: str) -> date:
    """A YYYY-MM-DD day, or a RangeError naming `option` and `value`."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RangeError(f"{option} {value!r} is not a date: use YYYY-MM-DD, e.g. 2026-09-14") from None


def check_range(first: date, last: date, *, start_date: date, today: date) -> None:
    """Refuse, before anything starts, a range no daily partition covers: reversed, before the first
    partition (COACHING_START_DATE) or after today (in COACHING_TIMEZONE), where no call can be yet."""
    if last < first:
        raise RangeError(f"--to {last} is before --from {first}: give the earlier day first")
    if first < start_date:
        raise RangeError(
            f"--from {first} is before COACHING_START_DATE ({start_date}), the first daily partition: "
            f"use {start_date} or later, or set COACHING_START_DATE earlier"
        )
    if last > today:
        raise RangeError(f"--to {last} is in the future (today is {today}): there are no calls to process yet")
