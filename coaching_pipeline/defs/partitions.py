"""The partitions: daily by call date for the pipeline, weekly (Monday to Sunday) for the reviews, both in
COACHING_TIMEZONE."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from coaching_pipeline.settings import get_settings

_settings = get_settings()

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=_settings.coaching_start_date,
    timezone=_settings.coaching_timezone,
    end_offset=1,
)


def _monday_of(day: str) -> str:
    start = date.fromisoformat(day)
    return (start - timedelta(days=start.weekday())).isoformat()


# Keys are the Mondays (2026-11-16 is ISO week 2026-W47); a week's partition exists once the week has ended.
weekly_partitions = dg.WeeklyPartitionsDefinition(
    start_date=_monday_of(_settings.coaching_start_date),
    day_offset=1,
    timezone=_settings.coaching_timezone,
)
