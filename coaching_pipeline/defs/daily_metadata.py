"""Each daily partition's own figures. Dagster gives the one materialization result of a run over many days (a
single-run backfill) to every day it covers, with the same metadata (dagster-io/dagster#18123): so a run of one
day reports that day's figures on its materialization, and a run of several days records each day's figures
as an observation of that day's partition, and puts only figures of the run as a whole on the materialization,
named as such."""

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import dagster as dg


def report_days(
    context: dg.AssetExecutionContext,
    asset_key: dg.AssetKey,
    by_day: Mapping[date, Mapping[str, Any]],
    *,
    empty: Mapping[str, Any],
    shared: Mapping[str, Any] | None = None,
) -> Iterator[dg.AssetObservation | dg.MaterializeResult]:
    """The run's events for `asset_key`: each day's figures (`empty` overlaid with the day's own; a day with
    nothing to report keeps `empty`) and `shared` figures of the whole run."""
    keys = context.partition_keys
    days = {key: {**empty, **by_day.get(date.fromisoformat(key), {}), **(shared or {})} for key in keys}
    if len(keys) == 1:
        yield dg.MaterializeResult(asset_key=asset_key, metadata=days[keys[0]])
        return
    for key, figures in days.items():
        yield dg.AssetObservation(asset_key=asset_key, partition=key, metadata=figures)
    yield dg.MaterializeResult(
        asset_key=asset_key,
        metadata={
            **(shared or {}),
            "run_days": len(keys),
            "run_first_day": keys[0],
            "run_last_day": keys[-1],
            "figures_by_day": "each day's figures are its partition's observation",
        },
    )
