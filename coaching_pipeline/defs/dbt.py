"""The dbt marts as Dagster assets, through dagster-dbt's public API: a translator and two @dbt_assets over the
project (the reference marts unpartitioned, every other model by day), each materialized by one `dbt build`."""

import json
import os
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import dagster as dg
import psycopg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from pydantic import Field

from coaching_pipeline.defs.dbt_project import dbt_executable, dbt_project, prepare_manifest_if_dev
from coaching_pipeline.defs.partitions import daily_partitions
from coaching_pipeline.warehouse.db import database_url
from coaching_pipeline.warehouse.dbt_env import dbt_env

prepare_manifest_if_dev()

# dbt sources -> the Dagster assets that write them, so marts sit downstream of ingestion and analysis.
SOURCE_ASSET_KEYS: Mapping[tuple[str, str], str] = {
    ("gong", "users"): "gong_users",
    ("gong", "calls"): "raw_transcripts",
    ("gong", "call_participants"): "raw_transcripts",
    ("gong", "transcripts"): "raw_transcripts",
    ("gong", "ingestion_issues"): "raw_transcripts",
    ("coaching", "discovery_analyses"): "discovery_analyses",
    ("coaching", "product_knowledge_analyses"): "product_knowledge_analyses",
    ("coaching", "objection_handling_analyses"): "objection_handling_analyses",
    ("coaching", "engagement_analyses"): "engagement_analyses",
    ("coaching", "call_interaction_stats"): "call_interaction_stats",
    ("coaching", "llm_requests"): "llm_cost_ledger",
    ("coaching", "cache_events"): "llm_cost_ledger",
    ("coaching", "analysis_failures"): "llm_cost_ledger",
    ("coaching", "rubrics"): "coaching_rubrics",
    ("coaching", "pipeline_events"): "pipeline_event_log",
}

# Written as a side effect of the analysis assets (and of the sensors) and never materialized themselves, so
# eager must not wait on them.
# (coaching_rubrics, the other non-analysis source, is a real asset in defs/knowledge.py.)
external_asset_specs = [
    dg.AssetSpec(
        "llm_cost_ledger",
        description="coaching.llm_requests, cache_events and analysis_failures, written by the analyses.",
        kinds={"postgres"},
    ),
    dg.AssetSpec(
        "pipeline_event_log",
        description="coaching.pipeline_events, appended by the run-status sensors, the engine and the Gong sensor.",
        kinds={"postgres"},
    ),
]

# Inputs that are not partitioned by day: Gong users, the rubrics and the reference marts built from them alone.
# Dagster maps an update of one of them onto every day of a partitioned mart (tests/dbt/test_defs_dbt.py
# checks the list against the reference assets).
UNPARTITIONED_INPUTS = dg.AssetSelection.assets(
    "gong_users",
    "coaching_rubrics",
    dg.AssetKey(["marts", "reps"]),
    dg.AssetKey(["intermediate", "int_rubric_versions_ranked"]),
)


def mart_automation_condition() -> dg.AutomationCondition:
    """eager(), which refreshes only the latest day, or an older day when that day's own inputs update (an
    analysis backfill, a re-scored day, a late call). Updates of the unpartitioned inputs count for the
    latest day only: users and rubrics refresh daily, and counting them for older days would rebuild every
    day's marts each time (a full refresh is the way to carry a rep's new team into past days). Nothing
    waits on the ledger (external_asset_specs)."""
    older_day_inputs_updated = (
        dg.AutomationCondition.any_deps_updated().ignore(UNPARTITIONED_INPUTS).since_last_handled()
        & ~dg.AutomationCondition.any_deps_missing()
        & ~dg.AutomationCondition.any_deps_in_progress()
        & ~dg.AutomationCondition.in_progress()
    )
    external = dg.AssetSelection.assets(*(spec.key for spec in external_asset_specs))
    return (dg.AutomationCondition.eager() | older_day_inputs_updated).ignore(external).with_label("eager, every day")


class CoachingDbtTranslator(DagsterDbtTranslator):
    """Sources map to the assets that write them; every model refreshes when its inputs update (any day)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            key = SOURCE_ASSET_KEYS.get((dbt_resource_props["source_name"], dbt_resource_props["name"]))
            if key:
                return dg.AssetKey(key)
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "marts"

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        return mart_automation_condition()


class WarehouseDbtCliResource(DbtCliResource):
    """dbt against the warehouse. dbt's profile reads COACHING_PG_* (profiles.yml), which this resource derives
    from the warehouse URL when a run sets it up; dbt runs as a subprocess of the run and inherits them."""

    database_url: str | None = Field(
        default=None,
        description="Warehouse URL; unset: DATABASE_URL or the embedded server, resolved at run time.",
    )

    def warehouse_url(self) -> str:
        return self.database_url or database_url()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        os.environ.update(dbt_env(self.warehouse_url()))
        super().setup_for_execution(context)


def dbt_resource(url: str | None = None) -> WarehouseDbtCliResource:
    """The `dbt` resource of the dbt assets (a URL given here shows in the UI; prefer None)."""
    return WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable(), database_url=url)


class DbtBuildConfig(dg.Config):
    full_refresh: bool = Field(
        default=False,
        description="Rebuild every incremental model from all data, ignoring the partition.",
    )


# Unit tests check the models' logic, not the day's data: CI runs them (tests/dbt), partition runs do not.
BUILD = ("build", "--exclude-resource-type", "unit_test")


def partition_vars(window: dg.TimeWindow) -> dict[str, str]:
    """Dagster windows end exclusive; dbt's min_date/max_date vars are inclusive dates."""
    return {
        "min_date": window.start.date().isoformat(),
        "max_date": (window.end - timedelta(microseconds=1)).date().isoformat(),
    }


def dbt_build_args(window: dg.TimeWindow | None, *, full_refresh: bool = False) -> list[str]:
    """`dbt build` for a partition window (incremental marts replace only its rows), or a full refresh."""
    if full_refresh or window is None:
        return [*BUILD, "--full-refresh"] if full_refresh else list(BUILD)
    return [*BUILD, "--vars", json.dumps(partition_vars(window))]


# Built from Gong users and the rubrics alone, so a day's calls never change them: an unpartitioned asset
# each, refreshed when users or rubrics change (eagerly, and in reference_data_job), rather than rebuilt by
# every daily partition run.
REFERENCE_MODELS = "reps int_rubric_versions_ranked"
REFERENCE_RELATIONS = ("marts.reps", "intermediate.int_rubric_versions_ranked")
MISSING_RELATIONS = "select relation from unnest(%s::text[]) as relation where to_regclass(relation) is null"


class ReferenceMartsMissing(dg.Failure):
    """A partition run found no reference marts to join: reference_data_job has never run here."""


def require_reference_marts(url: str) -> None:
    """Fail before dbt starts, with what to do, when the warehouse lacks the reference marts."""
    with psycopg.connect(url) as conn:
        missing = [row[0] for row in conn.execute(MISSING_RELATIONS, (list(REFERENCE_RELATIONS),))]
    if missing:
        raise ReferenceMartsMissing(
            description=(
                f"The reference marts {', '.join(missing)} are not built yet. Materialize reference_data_job "
                "(Gong users, rubrics and the reference marts) once, then re-run this partition."
            ),
        )


# Both dbt asset definitions run in this pool, which dagster.yaml limits to one step at a time: two runs'
# dbt builds at once (sensor runs of different days overlap when a run outlasts the sensor interval) would
# replace the same weeks and snapshot tables together, and one would fail on their primary keys.
DBT_POOL = "coaching_dbt"
TRANSLATOR = CoachingDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    name="coaching_dbt_reference_assets",
    select=REFERENCE_MODELS,
    pool=DBT_POOL,
    dagster_dbt_translator=TRANSLATOR,
)
def coaching_dbt_reference_assets(context: dg.AssetExecutionContext, dbt: WarehouseDbtCliResource) -> Iterator[Any]:
    """reps and the ranked rubric versions, rebuilt in full with every data test (a few hundred rows)."""
    yield from dbt.cli(dbt_build_args(None), context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    name="coaching_dbt_assets",
    exclude=REFERENCE_MODELS,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=DBT_POOL,
    dagster_dbt_translator=TRANSLATOR,
)
def coaching_dbt_assets(
    context: dg.AssetExecutionContext, dbt: WarehouseDbtCliResource, config: DbtBuildConfig
) -> Iterator[Any]:
    """One dbt build for the whole partition range (single-run backfills avoid __dbt_tmp collisions); the
    window reaches dbt as the min_date/max_date vars, and a full refresh drops it."""
    require_reference_marts(dbt.warehouse_url())
    window = None if config.full_refresh else context.partition_time_window
    yield from dbt.cli(dbt_build_args(window, full_refresh=config.full_refresh), context=context).stream()
