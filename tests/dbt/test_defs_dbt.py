"""The Dagster wiring of the dbt project: lineage, automation, partition vars and a real partition run."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
from dagster_dbt import DbtProject

from coaching_pipeline.definitions import defs
from coaching_pipeline.defs.dbt import (
    UNPARTITIONED_INPUTS,
    coaching_dbt_assets,
    coaching_dbt_reference_assets,
    dbt_build_args,
    dbt_resource,
    external_asset_specs,
    partition_vars,
)
from coaching_pipeline.defs.dbt_project import DBT_PROJECT_DIR, prepare_manifest

UPSTREAM = {
    "gong_users",
    "raw_transcripts",
    "discovery_analyses",
    "product_knowledge_analyses",
    "objection_handling_analyses",
    "engagement_analyses",
    "call_interaction_stats",
    "llm_cost_ledger",
    "coaching_rubrics",
    "pipeline_event_log",
}


REFERENCE_MARTS = {"marts/reps", "intermediate/int_rubric_versions_ranked"}


def outside_deps(assets: dg.AssetsDefinition) -> set[str]:
    own = {spec.key for spec in assets.specs}
    return {dep.asset_key.to_user_string() for spec in assets.specs for dep in spec.deps if dep.asset_key not in own}


def test_dbt_assets_depend_on_ingestion_and_analysis_assets() -> None:
    assert outside_deps(coaching_dbt_assets) == UPSTREAM | REFERENCE_MARTS


def test_reference_marts_are_unpartitioned_and_read_only_users_and_rubrics() -> None:
    assert {key.to_user_string() for key in coaching_dbt_reference_assets.keys} == REFERENCE_MARTS
    assert coaching_dbt_reference_assets.partitions_def is None
    assert outside_deps(coaching_dbt_reference_assets) == {"gong_users", "coaching_rubrics"}


def test_dbt_assets_refresh_eagerly_without_waiting_on_external_specs() -> None:
    specs = [*coaching_dbt_assets.specs, *coaching_dbt_reference_assets.specs]
    conditions = [spec.automation_condition for spec in specs]
    assert all(condition is not None and condition.get_label() == "eager, every day" for condition in conditions)
    assert [spec.key.to_user_string() for spec in external_asset_specs] == ["llm_cost_ledger", "pipeline_event_log"]
    assert "llm_cost_ledger" in str(conditions[0]) and "pipeline_event_log" in str(conditions[0])


def test_unpartitioned_inputs_are_the_unpartitioned_upstream_assets() -> None:
    graph = defs.resolve_asset_graph()
    upstream = {dep for key in coaching_dbt_assets.keys for dep in graph.get(key).parent_keys}
    unpartitioned = {key for key in upstream if graph.get(key).partitions_def is None}
    assert UNPARTITIONED_INPUTS.resolve(graph) == unpartitioned - {spec.key for spec in external_asset_specs}


def test_partition_vars_are_inclusive_dates() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    window = dg.TimeWindow(datetime(2026, 10, 24, tzinfo=berlin), datetime(2026, 10, 26, tzinfo=berlin))
    assert partition_vars(window) == {"min_date": "2026-10-24", "max_date": "2026-10-25"}


def test_dbt_build_args_pass_the_partition_window_as_vars() -> None:
    window = dg.TimeWindow(datetime(2026, 9, 10), datetime(2026, 9, 11))
    args = dbt_build_args(window)
    assert args[0] == "build"
    assert json.loads(args[args.index("--vars") + 1]) == {"min_date": "2026-09-10", "max_date": "2026-09-10"}
    assert "--full-refresh" not in args


def test_dbt_build_args_full_refresh_drops_the_window() -> None:
    window = dg.TimeWindow(datetime(2026, 9, 10), datetime(2026, 9, 11))
    args = dbt_build_args(window, full_refresh=True)
    assert "--full-refresh" in args
    assert "--vars" not in args


def test_prepare_manifest_parses_when_missing(tmp_path: Path) -> None:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=tmp_path)
    assert prepare_manifest(project) == tmp_path / "manifest.json"
    assert (tmp_path / "manifest.json").stat().st_size > 0


def test_prepare_manifest_keeps_a_current_manifest(tmp_path: Path) -> None:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=tmp_path)
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    prepare_manifest(project)
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == "{}"


def test_dbt_assets_materialize_one_partition(marts_url: str) -> None:
    wanted = {dg.AssetKey(["marts", "call_scores"]), dg.AssetKey(["marts", "rep_weekly_trends"])}
    result = dg.materialize(
        [coaching_dbt_assets],
        selection=list(wanted),
        partition_key="2026-09-10",
        resources={"dbt": dbt_resource(marts_url)},
    )
    assert result.success
    events = result.get_asset_materialization_events()
    assert {event.asset_key for event in events} == wanted
    assert {event.partition for event in events} == {"2026-09-10"}
