"""Freshness checks on every mart, and the sensor that evaluates them.

Dagster's newer FreshnessPolicy supersedes these checks, but it is still in preview, needs `freshness:
enabled` in dagster.yaml and is evaluated only by the daemon; the checks are stable, show on each mart's
Checks tab and are testable in process. COACHING_MART_FRESHNESS_HOURS (default 72, a weekend without calls)
sets how long a mart may go without a rebuild before its check warns."""

from __future__ import annotations

import warnings
from datetime import timedelta

import dagster as dg

from coaching_pipeline.defs.dbt import coaching_dbt_assets, coaching_dbt_reference_assets
from coaching_pipeline.settings import get_settings

MART_KEYS = sorted(
    (key for key in (*coaching_dbt_assets.keys, *coaching_dbt_reference_assets.keys) if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)
FRESHNESS_SENSOR_INTERVAL_SECONDS = 600


def build_mart_freshness(hours: int) -> tuple[list[dg.AssetChecksDefinition], dg.SensorDefinition]:
    """The checks (one per mart, passing when the mart was rebuilt within `hours`) and their sensor."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.SupersessionWarning)
        checks = list(
            dg.build_last_update_freshness_checks(
                assets=MART_KEYS, lower_bound_delta=timedelta(hours=hours), severity=dg.AssetCheckSeverity.WARN
            )
        )
        sensor = dg.build_sensor_for_freshness_checks(
            freshness_checks=checks,
            name="mart_freshness_sensor",
            minimum_interval_seconds=FRESHNESS_SENSOR_INTERVAL_SECONDS,
            default_status=dg.DefaultSensorStatus.RUNNING,
        )
    return checks, sensor


mart_freshness_checks, mart_freshness_sensor = build_mart_freshness(get_settings().coaching_mart_freshness_hours)
