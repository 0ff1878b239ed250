"""dbt marts on a synthetic warehouse of 100,000 calls x 4 dimensions: full build, then one day incrementally.

Each repeat runs a full build (`dbt build --full-refresh`), then the build of one new day's partition (the
window in COACHING_MIN_DATE/COACHING_MAX_DATE), both with the arguments Dagster passes
(coaching_pipeline.defs.dbt.dbt_build_args: a full build runs every data test; a partition run leaves out the
tests that Postgres constraints enforce; neither runs unit tests) and, like Dagster, in this process
(coaching_pipeline.defs.dbt_in_process). Reports medians of wall time (parse included; dbt's import is paid
once per process and excluded), of dbt's execution time, and of the incremental marts' own execution time;
`incremental_day_all_tests_seconds` is the same day with every data test as well,
`reference_refresh_seconds` the separate rebuild of the reference marts (reps, rubric versions) that
reference_data_job runs when users or rubrics change, and
`subprocess_startup_seconds` what a dbt subprocess per build (dagster-dbt's default) would add.
Target: the one-day build takes at most 5% of the full build. Last line: one JSON object.

    .venv/bin/python bench/marts.py [--calls 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import psycopg
from dagster_dbt import DagsterDbtTranslatorSettings, dbt_assets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coaching_pipeline.defs import dbt as defs  # noqa: E402
from coaching_pipeline.defs.dbt import (  # noqa: E402
    BUILD_ARGS,
    DBT_PROJECT_DIR,
    PARTITION_ENV,
    REFERENCE_MODELS,
    dbt_build_args,
    dbt_project,
    ensure_manifest,
    exported,
    partition_build_args,
    require_reference_marts,
)
from coaching_pipeline.defs.dbt_in_process import invoke_dbt  # noqa: E402
from coaching_pipeline.warehouse.dbt_env import dbt_env  # noqa: E402
from coaching_sandbox.warehouse.loading import seed_days, seed_warehouse  # noqa: E402
from coaching_sandbox.warehouse.scratch import scratch_database  # noqa: E402
from coaching_sandbox.warehouse.synthetic import SyntheticSpec  # noqa: E402
from tests.dbt.dbt_runs import INCREMENTAL_MARTS  # noqa: E402

TARGET_RATIO = 0.05
# Loaded once, as a Dagster code location holds it in memory from definition load.
MANIFEST = json.loads(ensure_manifest(dbt_project).read_text(encoding="utf-8"))
DAYS = 400
# What coaching_dbt_assets selects: every model but the reference marts, which reference_data_job refreshes.
PARTITION_SELECTION = ["--exclude", REFERENCE_MODELS]


def build(
    url: str,
    target: Path,
    *,
    full_refresh: bool,
    day: date | None = None,
    all_tests: bool = False,
    reference: bool = False,
    project_dir: Path = DBT_PROJECT_DIR,
) -> tuple[float, float, float]:
    """Wall seconds (parse included, and for a partition run the catalog checks coaching_dbt_assets makes),
    dbt's execution seconds, incremental marts' seconds."""
    os.environ.update(dbt_env(url))
    project = str(project_dir)
    window = {name: day.isoformat() for name in PARTITION_ENV} if day else {}
    started = time.perf_counter()
    with exported(window):
        if reference:
            args = [*BUILD_ARGS, "--select", REFERENCE_MODELS]
        elif all_tests:
            args = [*BUILD_ARGS, *PARTITION_SELECTION]
        elif full_refresh:
            args = dbt_build_args(full_refresh=True)
        else:
            require_reference_marts(url, MANIFEST)
            args = [*partition_build_args(url, MANIFEST), *PARTITION_SELECTION]
        result = invoke_dbt(
            [
                *args,
                "--project-dir",
                project,
                "--profiles-dir",
                project,
                "--target-path",
                str(target),
                "--log-path",
                str(target),
                "--no-version-check",
                "--quiet",
            ]
        )
    wall = time.perf_counter() - started
    if not result.success:
        raise SystemExit(f"dbt build (full refresh: {full_refresh}) failed: {result.exception}")
    marts = sum(r.execution_time for r in result.result.results if r.node.name in INCREMENTAL_MARTS)
    return wall, float(result.result.elapsed_time), marts


def subprocess_startup(url: str, target: Path) -> float:
    """Seconds a fresh `dbt parse` process takes with a current partial-parse state: interpreter, dbt's
    import and the partial parse, the fixed cost each Dagster run pays in its dbt subprocess."""
    dbt = Path(sys.executable).with_name("dbt")
    project = str(DBT_PROJECT_DIR)
    command = [str(dbt), "parse", "--project-dir", project, "--profiles-dir", project, "--target-path", str(target)]
    command += ["--log-path", str(target), "--no-version-check", "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, **dbt_env(url)}, capture_output=True)
    return time.perf_counter() - started


def dagster_partition_runs(url: str, day: date, repeats: int) -> dict[str, float]:
    """Median seconds of one partition of coaching_dbt_assets materialized through Dagster: as shipped (dbt in
    this process) and as dagster-dbt's default would run it (a dbt subprocess), same arguments."""

    @dbt_assets(
        manifest=defs.ensure_manifest(defs.dbt_project),
        project=defs.dbt_project,
        name="subprocess_dbt_assets",
        partitions_def=defs.daily_partitions,
        dagster_dbt_translator=defs.CoachingDbtTranslator(
            settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
        ),
    )
    def subprocess_dbt_assets(context, dbt: defs.WarehouseDbtCliResource):
        with defs.exported(defs.partition_env(context.partition_time_window)):
            invocation = dbt.cli(defs.dbt_build_args(full_refresh=False), context=context)
        yield from invocation.stream()

    seconds: dict[str, list[float]] = {"in_process": [], "subprocess": []}
    variants = {"in_process": defs.coaching_dbt_assets, "subprocess": subprocess_dbt_assets}
    for _ in range(repeats + 1):
        for name, assets in variants.items():
            started = time.perf_counter()
            result = dg.materialize([assets], partition_key=day.isoformat(), resources={"dbt": defs.dbt_resource(url)})
            seconds[name].append(time.perf_counter() - started)
            if not result.success:
                raise SystemExit(f"Dagster partition run ({name}) failed")
    # The first round pays one-off costs (dbt's CLI import, a full parse); a run worker pays the import once.
    return {name: statistics.median(values[1:]) for name, values in seconds.items()}


def seed(url: str, calls: int) -> tuple[SyntheticSpec, date, float]:
    spec = SyntheticSpec(
        start_date=date(2025, 8, 4),
        days=DAYS,
        calls_per_day=max(1, calls // DAYS),
        teams=tuple(f"Team {n}" for n in range(8)),
        reps_per_team=15,
        discovery_v2_from=None,
        transcripts=False,
    )
    new_day = spec.start_date + timedelta(days=spec.days)
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        seed_warehouse(conn, spec)
        seed_days(conn, spec, [new_day])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum analyze")
    return spec, new_day, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    with scratch_database("bench_marts") as url, tempfile.TemporaryDirectory(prefix="dbt-bench-") as scratch:
        spec, new_day, seed_seconds = seed(url, options.calls)
        with psycopg.connect(url) as conn:
            analyses = conn.execute("select count(*) from coaching.call_analyses").fetchone()[0]
        print(
            f"seeded {spec.days * spec.calls_per_day + spec.calls_per_day} calls, {analyses} analyses "
            f"in {seed_seconds:.1f} s"
        )
        full, incremental, all_tests, reference = [], [], [], []
        for repeat in range(options.repeats):
            full.append(build(url, Path(scratch), full_refresh=True))
            incremental.append(build(url, Path(scratch), full_refresh=False, day=new_day))
            all_tests.append(build(url, Path(scratch), full_refresh=False, day=new_day, all_tests=True))
            reference.append(build(url, Path(scratch), full_refresh=False, reference=True))
            print(
                f"repeat {repeat + 1}: full {full[-1][0]:.1f} s (dbt {full[-1][1]:.1f} s), "
                f"one day {incremental[-1][0]:.2f} s (dbt {incremental[-1][1]:.2f} s), "
                f"with every data test {all_tests[-1][0]:.2f} s"
            )
        startup = statistics.median(subprocess_startup(url, Path(scratch)) for _ in range(options.repeats))
        dagster = dagster_partition_runs(url, new_day, options.repeats)
    full_wall, full_dbt, full_marts = (statistics.median(run[i] for run in full) for i in range(3))
    day_wall, day_dbt, day_marts = (statistics.median(run[i] for run in incremental) for i in range(3))
    all_tests_wall = statistics.median(run[0] for run in all_tests)
    reference_wall = statistics.median(run[0] for run in reference)
    report = {
        "benchmark": "marts",
        "calls": spec.days * spec.calls_per_day + spec.calls_per_day,
        "analyses": analyses,
        "repeats": options.repeats,
        "full_build_seconds": round(full_wall, 2),
        "incremental_day_seconds": round(day_wall, 2),
        "incremental_ratio": round(day_wall / full_wall, 4),
        "incremental_day_all_tests_seconds": round(all_tests_wall, 2),
        "incremental_all_tests_ratio": round(all_tests_wall / full_wall, 4),
        "reference_refresh_seconds": round(reference_wall, 2),
        "full_build_dbt_seconds": round(full_dbt, 2),
        "incremental_day_dbt_seconds": round(day_dbt, 2),
        "incremental_dbt_ratio": round(day_dbt / full_dbt, 4),
        "incremental_marts_ratio": round(day_marts / full_marts, 4),
        "subprocess_startup_seconds": round(startup, 2),
        "incremental_ratio_as_subprocess": round((startup + day_dbt) / (startup + full_dbt), 4),
        "dagster_partition_run_seconds": round(dagster["in_process"], 2),
        "dagster_partition_run_subprocess_seconds": round(dagster["subprocess"], 2),
        "target_ratio": TARGET_RATIO,
        "meets_target": day_wall / full_wall <= TARGET_RATIO,
    }
    print(
        f"full build {full_wall:.1f} s, one day {day_wall:.2f} s: {day_wall / full_wall:.1%} "
        f"(target <= {TARGET_RATIO:.0%}); with every data test {all_tests_wall / full_wall:.1%}; "
        f"dbt execution {day_dbt / full_dbt:.1%}; as a Dagster subprocess "
        f"(+{startup:.1f} s start-up each) {(startup + day_dbt) / (startup + full_dbt):.1%}; one partition "
        f"through Dagster {dagster['in_process']:.1f} s in process, {dagster['subprocess']:.1f} s with a subprocess"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
