"""Process set-up shared by the CLI, the demo and the UI launcher: warehouse URL, Dagster home and instance, and
the dbt manifest the definitions load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from coaching_pipeline.defs.dbt_project import prepare_manifest
from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.db import dagster_storage_url, database_url, ensure_migrated

REPO_ROOT = Path(__file__).resolve().parents[2]


def prepare_environment() -> str:
    """Resolve and migrate the warehouse, export what child processes (Dagster, dbt) need to find it, and
    parse the dbt project if its manifest is stale, before anything loads the definitions."""
    url = ensure_migrated(database_url())
    prepare_manifest()
    os.environ["DATABASE_URL"] = url
    os.environ["COACHING_DAGSTER_PG_URL"] = dagster_storage_url(url)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # A single-run backfill otherwise logs one "planned" event per asset per partition before it starts
    # (~9,000 for a quarter); Dagster's own switch records one event per asset with the partition subset.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    os.environ["DAGSTER_HOME"] = str(dagster_home())
    get_settings.cache_clear()
    return url


def dagster_home() -> Path:
    """COACHING_HOME/dagster with the repo's dagster.yaml (Postgres storage) copied in."""
    home = get_settings().coaching_home / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    source = REPO_ROOT / "dagster.yaml"
    if source.exists():
        shutil.copyfile(source, home / "dagster.yaml")
    return home


def dagster_instance() -> dg.DagsterInstance:
    prepare_environment()
    return dg.DagsterInstance.get()
