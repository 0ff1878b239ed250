"""Shared pieces of the Dagster asset tests: resources pointed at the simulators, the analyses' metadata."""

from __future__ import annotations

from typing import Any

import dagster as dg

from coaching_pipeline.defs.resources import GongResource
from coaching_sandbox.simulators.gong import RunningGong


def simulated_gong(gong: RunningGong) -> GongResource:
    """The Gong resource for a running simulator, without the real tenant's rate limit."""
    return GongResource(
        base_url=gong.base_url,
        access_key=gong.sim.access_key,
        access_key_secret=gong.sim.access_key_secret,
        requests_per_second=1000,
    )


def analysis_metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    """Each analysis asset's materialization metadata, by asset key."""
    materializations = [m.event_specific_data.materialization for m in result.get_asset_materialization_events()]
    return {
        m.asset_key.to_user_string(): {k: v.value for k, v in m.metadata.items()}
        for m in materializations
        if m.asset_key.to_user_string().endswith("_analyses")
    }


def metadata_by_partition(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str | None], dict[str, Any]]:
    """Each partition's own figures, by (asset key, partition): the materialization's metadata for a run of one
    day, the observation of each day for a run of several (coaching_pipeline/defs/daily_metadata.py)."""
    events = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()]
    events += [e.event_specific_data.asset_observation for e in result.get_asset_observation_events()]
    return {(m.asset_key.to_user_string(), m.partition): {k: v.value for k, v in m.metadata.items()} for m in events}
