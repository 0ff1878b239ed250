"""The daily partitions every asset shares: one per call date in COACHING_TIMEZONE."""

from __future__ import annotations

import dagster as dg

from coaching_pipeline.settings import get_settings

_settings = get_settings()

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=_settings.coaching_start_date,
    timezone=_settings.coaching_timezone,
    end_offset=1,
)
