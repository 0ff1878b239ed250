"""Every mart has a freshness check: it fails when the mart was not rebuilt within the window, passes when it was."""

from __future__ import annotations

import time
from collections.abc import Iterator

import dagster as dg
import pytest

from coaching_pipeline.defs.freshness import MART_KEYS, build_mart_freshness

PIPELINE_HEALTH = dg.AssetKey(["marts", "pipeline_health"])
REPS = dg.AssetKey(["marts", "reps"])


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _evaluate(instance: dg.DagsterInstance, hours: int) -> dict[dg.AssetKey, bool]:
    checks, _ = build_mart_freshness(hours)
    result = dg.materialize(
        [*(dg.AssetSpec(key) for key in MART_KEYS), *checks],
        selection=dg.AssetSelection.checks(*checks),
        instance=instance,
    )
    return {evaluation.asset_key: evaluation.passed for evaluation in result.get_asset_check_evaluations()}


def test_mart_freshness_checks_cover_every_mart() -> None:
    checks, sensor = build_mart_freshness(72)
    checked = {key.asset_key for check in checks for key in check.check_keys}
    assert checked == set(MART_KEYS)
    assert {PIPELINE_HEALTH, REPS, dg.AssetKey(["marts", "llm_daily_costs"])} <= checked
    assert sensor.name == "mart_freshness_sensor"


def test_mart_freshness_checks_fail_when_stale_and_pass_when_fresh(instance: dg.DagsterInstance) -> None:
    two_hours_ago = dg.MetadataValue.timestamp(time.time() - 2 * 3600)
    instance.report_runless_asset_event(
        dg.AssetObservation(REPS, metadata={"dagster/last_updated_timestamp": two_hours_ago})
    )
    instance.report_runless_asset_event(dg.AssetMaterialization(PIPELINE_HEALTH))

    passed = _evaluate(instance, hours=1)

    assert passed[PIPELINE_HEALTH] is True
    assert passed[REPS] is False
    assert passed[dg.AssetKey(["marts", "call_scores"])] is False
    assert _evaluate(instance, hours=3)[REPS] is True
