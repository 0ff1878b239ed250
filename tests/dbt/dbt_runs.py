"""Run dbt in-process against a given warehouse, with artifacts in a private target directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg

from coaching_pipeline.defs.dbt_project import DBT_PROJECT_DIR
from coaching_pipeline.warehouse.dbt_env import dbt_env

INCREMENTAL_MARTS = (
    "call_scores",
    "call_criterion_scores",
    "call_interaction_stats",
    "rep_weekly_trends",
    "team_weekly_scores",
    "rep_daily_coverage",
)
TABLE_MARTS = (
    "reps",
    "rep_benchmarks",
    "rep_coaching_focus",
    "rep_interaction_stats",
    "llm_daily_costs",
    "pipeline_health",
)


class DbtRunError(AssertionError):
    """dbt reported failures; the message names the nodes."""


def run_dbt(
    url: str,
    target: Path,
    *args: str,
    day: str | None = None,
    callbacks: Sequence[Callable[[EventMsg], None]] = (),
) -> None:
    """One dbt command against `url`, for one partition day as Dagster passes it (the min_date/max_date vars)
    or for every row, with dbt's event `callbacks`; raise with the failing nodes' messages unless it succeeds.
    dbt runs in this process through its documented programmatic entry point, dbtRunner, which is faster
    for the suite than a subprocess per command; the Dagster tests run it as the assets do."""
    os.environ.update(dbt_env(url))
    project = str(DBT_PROJECT_DIR)
    common = ["--project-dir", project, "--profiles-dir", project, "--target-path", str(target)]
    window = ["--vars", partition_vars(day)] if day else []
    result = dbtRunner(callbacks=list(callbacks)).invoke(
        [*args, *window, *common, "--log-path", str(target), "--no-version-check", "--quiet", "--no-use-colors"]
    )
    if not result.success:
        problems = [
            f"{r.node.unique_id}: {r.status} {r.message}"
            for r in getattr(result.result, "results", None) or []
            if str(r.status) not in ("success", "pass")
        ]
        raise DbtRunError(f"dbt {' '.join(args)} failed: {result.exception or ''} {problems}")


def partition_vars(day: str) -> str:
    """The same window as dbt vars (how one runs a partition by hand)."""
    return f'{{"min_date": "{day}", "max_date": "{day}"}}'
