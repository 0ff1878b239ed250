"""Declarative automation of the marts, evaluated on the real definitions: the latest day refreshes when any
input updates, an older day when its own inputs do, and users or rubrics never touch the older days."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.definitions import defs

OLDER_DAY, LATEST_DAY = "2026-09-01", "2026-09-11"
NOW = datetime(2026, 9, 11, 12, tzinfo=UTC)


class Automation:
    """An instance where every asset holds both days, and the automation cursor after a first evaluation."""

    def __init__(self) -> None:
        self.instance = dg.DagsterInstance.ephemeral()
        self.graph = defs.resolve_asset_graph()
        for key in self.graph.get_all_asset_keys():
            partitioned = self.graph.get(key).partitions_def is not None
            for partition in (OLDER_DAY, LATEST_DAY) if partitioned else (None,):
                self.materialize(key, partition)
        self.cursor: Any = None
        self.evaluate()

    def materialize(self, key: str | dg.AssetKey, partition: str | None = None) -> None:
        self.instance.report_runless_asset_event(dg.AssetMaterialization(key, partition=partition))

    def evaluate(self) -> Any:
        """One tick of the automation, from where the previous one left off."""
        result = dg.evaluate_automation_conditions(
            defs=defs, instance=self.instance, evaluation_time=NOW, cursor=self.cursor
        )
        self.cursor = result.cursor
        return result

    def requested_days(self, key: dg.AssetKey) -> set[str]:
        return set(self.evaluate().get_requested_partitions(key))


@pytest.fixture
def automation() -> Automation:
    return Automation()


def test_nothing_is_requested_when_every_day_is_current(automation: Automation) -> None:
    assert automation.requested_days(dg.AssetKey(["marts", "call_scores"])) == set()


def test_an_older_day_refreshes_when_its_analyses_update(automation: Automation) -> None:
    automation.materialize("discovery_analyses", OLDER_DAY)
    assert automation.requested_days(dg.AssetKey(["marts", "call_scores"])) == {OLDER_DAY}


def test_the_latest_day_refreshes_when_its_analyses_update(automation: Automation) -> None:
    automation.materialize("discovery_analyses", LATEST_DAY)
    assert automation.requested_days(dg.AssetKey(["marts", "call_scores"])) == {LATEST_DAY}


def test_updated_users_refresh_only_the_latest_day(automation: Automation) -> None:
    automation.materialize("gong_users")
    assert automation.requested_days(dg.AssetKey(["marts", "call_interaction_stats"])) == {LATEST_DAY}
