"""The date range a (possibly single-run, multi-partition) asset run covers."""

from __future__ import annotations

from datetime import date

import dagster as dg

from coaching_pipeline.settings import get_settings

_END_OF_TIME = date(9999, 1, 1)


def partition_dates(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> tuple[date, date]:
    """[start, end) call dates of the run: one day, the range of a single-run backfill, or (for a check run on
    its own, outside any partition) everything."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return date.fromisoformat(get_settings().coaching_start_date), _END_OF_TIME
    window = context.partition_time_window
    return window.start.date(), window.end.date()
