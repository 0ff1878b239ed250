"""The Dagster instance dagster.yaml configures, on Postgres storage: run queue limits and one dbt build at a time."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from coaching_pipeline.defs.dbt import DBT_POOL, coaching_dbt_assets, coaching_dbt_reference_assets
from coaching_pipeline.runner.environment import REPO_ROOT
from coaching_pipeline.warehouse.db import DAGSTER_SCHEMA, dagster_storage_url


@pytest.fixture(scope="module")
def instance(isolated_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dg.DagsterInstance]:
    home = tmp_path_factory.mktemp("dagster-home")
    shutil.copyfile(REPO_ROOT / "dagster.yaml", Path(home) / "dagster.yaml")
    with psycopg.connect(isolated_database_url, autocommit=True) as conn:
        conn.execute(f"create schema if not exists {DAGSTER_SCHEMA}")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACHING_DAGSTER_PG_URL", dagster_storage_url(isolated_database_url))
        with dg.DagsterInstance.from_config(str(home)) as created:
            yield created


def test_both_dbt_asset_definitions_run_in_the_dbt_pool() -> None:
    assert coaching_dbt_assets.op.pool == DBT_POOL
    assert coaching_dbt_reference_assets.op.pool == DBT_POOL


def test_run_queue_allows_four_runs_and_one_backfill(instance: dg.DagsterInstance) -> None:
    queue = instance.get_concurrency_config().run_queue_config
    assert queue is not None
    assert queue.max_concurrent_runs == 4
    assert queue.tag_concurrency_limits == [{"key": "dagster/backfill", "limit": 1}]


def test_a_second_runs_dbt_step_waits_for_the_first(instance: dg.DagsterInstance) -> None:
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default(DBT_POOL)
    first = storage.claim_concurrency_slot(DBT_POOL, "run-day-1", "coaching_dbt_assets", priority=0)
    second = storage.claim_concurrency_slot(DBT_POOL, "run-day-2", "coaching_dbt_assets", priority=0)
    assert (first.is_claimed, second.is_claimed) == (True, False)
    storage.free_concurrency_slots_for_run("run-day-1")
    retried = storage.claim_concurrency_slot(DBT_POOL, "run-day-2", "coaching_dbt_assets", priority=0)
    assert retried.is_claimed
