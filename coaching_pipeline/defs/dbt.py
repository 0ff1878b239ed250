"""The dbt marts as Dagster assets: the reference marts (reps, rubric versions) in an unpartitioned @dbt_assets,
every other model in one daily-partitioned @dbt_assets, each run by one dbt build."""

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
from pydantic import Field

from coaching_pipeline.defs.dbt_constraints import (
    CONSTRAINT_BACKED_TESTS,
    missing_constraints,
    missing_tables,
    table_contracts,
)
from coaching_pipeline.defs.dbt_in_process import DbtCommand, stream_dbt
from coaching_pipeline.defs.partitions import daily_partitions
from coaching_pipeline.warehouse.db import database_url
from coaching_pipeline.warehouse.dbt_env import dbt_env

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

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
}

# Written as a side effect of the analysis assets and never materialized itself, so eager must not wait on it.
# (coaching_rubrics, the other non-analysis source, is a real asset in defs/knowledge.py.)
external_asset_specs = [
    dg.AssetSpec(
        "llm_cost_ledger",
        description="coaching.llm_requests, cache_events and analysis_failures, written by the analyses.",
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


def ensure_manifest(project: DbtProject) -> Path:
    """Parse the project when its manifest is missing or older than its sources (fresh checkouts, edits,
    tests). Production images build the manifest after copying the project (`dagster-dbt project
    prepare-and-package`), so it is current there and a deployed code location never parses on import;
    `dagster dev` re-parses on every load through prepare_if_dev. Parsing goes to a temporary directory and
    the manifest moves into place atomically, so concurrent processes never read half a file."""
    if _manifest_is_current(project):
        return project.manifest_path
    with tempfile.TemporaryDirectory(prefix="dbt-parse-") as scratch:
        invocation = _bare_resource(project).cli(["parse", "--quiet"], target_path=Path(scratch)).wait()
        parsed = invocation.target_path / "manifest.json"
        project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        staged = project.manifest_path.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(parsed, staged)
        os.replace(staged, project.manifest_path)
    return project.manifest_path


def _manifest_is_current(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return False
    sources = [project.project_dir / "dbt_project.yml"]
    for folder in ("models", "macros", "tests"):
        sources += [path for path in (project.project_dir / folder).rglob("*") if path.is_file()]
    newest = max(path.stat().st_mtime for path in sources)
    return project.manifest_path.stat().st_mtime >= newest


def _dbt_executable() -> str:
    """The dbt beside this interpreter, so runs work without the virtualenv on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _bare_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=_dbt_executable())


class WarehouseDbtCliResource(DbtCliResource):
    """dbt with its profile variables derived from the warehouse URL when a command runs. DbtCliResource has
    no env setting (its subprocess inherits os.environ), so the variables are exported just before."""

    database_url: str | None = Field(
        default=None,
        description="Warehouse URL; unset: DATABASE_URL or the embedded server, resolved at run time.",
    )

    def cli(self, args: Sequence[str], **kwargs: Any) -> DbtCliInvocation:
        os.environ.update(dbt_env(self.warehouse_url()))
        return super().cli(args, **kwargs)

    def warehouse_url(self) -> str:
        return self.database_url or database_url()

    def stream_in_process(self, args: Sequence[str], context: dg.AssetExecutionContext) -> Iterator[Any]:
        """Run `dbt <args>` for the context's selection in this process (dbt_in_process explains why) and
        yield its Dagster events; the target directory starts from, and refreshes, the shared
        partial-parse state."""
        os.environ.update(dbt_env(self.warehouse_url()))
        target = Path(self.project_dir) / self._get_unique_target_path(context=context)
        seed_partial_parse(target, dbt_project)
        command = DbtCommand(
            args=args, project=dbt_project, profiles_dir=Path(self.profiles_dir or self.project_dir), target_path=target
        )
        yield from stream_dbt(command, context)
        keep_partial_parse(target, dbt_project)


def dbt_resource(url: str | None = None) -> WarehouseDbtCliResource:
    """The `dbt` resource for coaching_dbt_assets (a URL given here shows in the UI; prefer None)."""
    return WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=_dbt_executable(), database_url=url)


class DbtBuildConfig(dg.Config):
    full_refresh: bool = Field(
        default=False,
        description="Rebuild every incremental model from all data, ignoring the partition.",
    )


PARTITION_ENV = ("COACHING_MIN_DATE", "COACHING_MAX_DATE")


def partition_vars(start: datetime, end: datetime) -> dict[str, str]:
    """Dagster windows end exclusive; dbt's min_date/max_date are inclusive dates."""
    return {
        "min_date": start.date().isoformat(),
        "max_date": (end - timedelta(microseconds=1)).date().isoformat(),
    }


def partition_env(window: dg.TimeWindow | None) -> dict[str, str]:
    """The partition window as COACHING_MIN_DATE/COACHING_MAX_DATE for dbt (empty: every row). Not --vars:
    dbt re-parses the whole project whenever --vars change, while these variables are read only when models
    and tests execute (macros/partition_window.sql), so each partition run keeps partial parsing."""
    if window is None:
        return {}
    bounds = partition_vars(window.start, window.end)
    return dict(zip(PARTITION_ENV, (bounds["min_date"], bounds["max_date"]), strict=True))


@contextmanager
def exported(env: Mapping[str, str]) -> Iterator[None]:
    """Set the partition variables (unsetting absent ones) for as long as dbt runs: in this process dbt reads
    them from os.environ while models and tests execute, and a dbt subprocess copies os.environ at launch."""
    saved = {name: os.environ.pop(name, None) for name in PARTITION_ENV}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def seed_partial_parse(run_target: Path, project: DbtProject) -> None:
    """Start a run's target directory from the shared partial-parse state, so dbt re-reads only changes."""
    shared = project.project_dir / project.target_path / "partial_parse.msgpack"
    run_target.mkdir(parents=True, exist_ok=True)
    if shared.exists():
        shutil.copyfile(shared, run_target / "partial_parse.msgpack")


def keep_partial_parse(run_target: Path, project: DbtProject) -> None:
    """Each Dagster run gets its own target directory, seeded from target/partial_parse.msgpack if there is
    one; a run that had to parse (none yet, or the project or profile environment changed) leaves its state
    there for the next run. dbt itself checks that the state still matches, so a stale file only costs a
    full parse. Moved into place atomically, so concurrent runs never read half a file."""
    produced = run_target / "partial_parse.msgpack"
    shared = project.project_dir / project.target_path / "partial_parse.msgpack"
    if not produced.exists() or produced.resolve() == shared.resolve():
        return
    staged = shared.with_suffix(f".{os.getpid()}.tmp")
    shutil.copyfile(produced, staged)
    os.replace(staged, shared)


BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test", "--no-write-json")


# Ephemeral models are inlined as CTEs into the models that use them, which compile them on demand; as
# nodes of their own in a partition run they only cost dbt's per-node work. Dagster has no asset for them,
# so a run of some of the assets never selects them anyway.
EPHEMERAL_MODELS = "config.materialized:ephemeral"


def dbt_build_args(*, full_refresh: bool, constraints_in_place: bool = True) -> list[str]:
    """Unit tests run in CI, not on every partition. Dagster records every node's result, so the run skips
    writing manifest.json and run_results.json (a third of a one-day build's fixed cost). A partition run
    leaves out ephemeral nodes and the data tests that constraints enforce (dbt_constraints), unless the
    warehouse lacks some of those constraints, and keeps dbt's file log to warnings: the SQL trace at debug
    level cost a tenth of a one-day build, and Dagster's event log holds every node's result. A full
    refresh runs every data test and logs everything."""
    if full_refresh:
        return [*BUILD_ARGS, "--full-refresh"]
    quiet_log = ["--log-level-file", "warn"]
    if not constraints_in_place:
        return [*BUILD_ARGS, "--exclude", EPHEMERAL_MODELS, *quiet_log]
    enforced = " ".join(f"test_name:{kind}" for kind in CONSTRAINT_BACKED_TESTS)
    return [*BUILD_ARGS, "--exclude", f"{EPHEMERAL_MODELS} {enforced}", *quiet_log]


def partition_build_args(url: str, manifest: Mapping[str, Any], log: logging.Logger | None = None) -> list[str]:
    """dbt_build_args for a partition run on the warehouse at `url`, after asking Postgres whether its
    tables hold their contracts' constraints (one catalog query); if not, every data test runs
    and `log` says which constraints a full refresh would add."""
    missing = missing_constraints(url, table_contracts(manifest))
    if missing and log is not None:
        log.warning(
            "Running every dbt data test: these tables predate their contracts' constraints, "
            "which a full refresh (DbtBuildConfig full_refresh=True) adds: %s",
            "; ".join(missing),
        )
    return dbt_build_args(full_refresh=False, constraints_in_place=not missing)


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
DBT_MANIFEST = ensure_manifest(dbt_project)


# Built from Gong users and the rubrics alone, so a day's calls never change them: an unpartitioned asset
# each, refreshed when users or rubrics change (eagerly, and in reference_data_job), rather than rebuilt by
# every daily partition run, whose first node int_rubric_versions_ranked used to be.
REFERENCE_MODELS = "reps int_rubric_versions_ranked"


class ReferenceMartsMissing(dg.Failure):
    """A partition run found no reference marts to join: reference_data_job has never run here."""


def require_reference_marts(url: str, manifest: Mapping[str, Any]) -> None:
    """Fail before dbt starts, with what to do, when the warehouse lacks the reference marts."""
    names = set(REFERENCE_MODELS.split())
    relations = [
        f"{node['schema']}.{node['alias']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] in names
    ]
    if missing := missing_tables(url, relations):
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


def coaching_dbt_definition(**selection: Any) -> Callable[[Callable[..., Any]], dg.AssetsDefinition]:
    """@dbt_assets over this project with the coaching translator; `selection` names and selects the part."""
    return dbt_assets(
        manifest=DBT_MANIFEST,
        project=dbt_project,
        pool=DBT_POOL,
        dagster_dbt_translator=CoachingDbtTranslator(
            settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
        ),
        **selection,
    )


@coaching_dbt_definition(name="coaching_dbt_reference_assets", select=REFERENCE_MODELS)
def coaching_dbt_reference_assets(context: dg.AssetExecutionContext, dbt: WarehouseDbtCliResource) -> Iterator[Any]:
    """reps and the ranked rubric versions, rebuilt in full with every data test (a few hundred rows)."""
    yield from dbt.stream_in_process(list(BUILD_ARGS), context)


@coaching_dbt_definition(
    name="coaching_dbt_assets",
    exclude=REFERENCE_MODELS,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def coaching_dbt_assets(
    context: dg.AssetExecutionContext, dbt: WarehouseDbtCliResource, config: DbtBuildConfig
) -> Iterator[Any]:
    """One dbt build for the whole partition range (single-run backfills avoid __dbt_tmp collisions). The
    window flows from context.partition_time_window into dbt through partition_env; a full refresh drops it."""
    manifest, _, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    require_reference_marts(dbt.warehouse_url(), manifest)
    if config.full_refresh:
        window, args = None, dbt_build_args(full_refresh=True)
    else:
        window = context.partition_time_window
        args = partition_build_args(dbt.warehouse_url(), manifest, context.log)
    with exported(partition_env(window)):
        yield from dbt.stream_in_process(args, context)
