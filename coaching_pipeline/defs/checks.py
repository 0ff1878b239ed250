"""Asset checks over a run's date range: each names the calls that break an invariant (none = passed)."""

from collections.abc import Callable
from datetime import date

import dagster as dg

from coaching_pipeline.defs.resources import WarehouseResource
from coaching_pipeline.defs.window import partition_dates

FindFailingCalls = Callable[[str, date, date], list[str]]


def range_check(
    asset: dg.AssetsDefinition | dg.AssetKey, name: str, description: str, find_failing: FindFailingCalls
) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=asset, name=name, description=description, blocking=False)
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        start, end = partition_dates(context)
        failing = find_failing(warehouse.url(), start, end)
        return dg.AssetCheckResult(
            passed=not failing, metadata={"failing_calls": len(failing), "examples": failing[:50]}
        )

    return _check
