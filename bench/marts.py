"""dbt marts on a synthetic warehouse of 100,000 calls x 4 dimensions: a full build, then one new day.

Each repeat runs, as Dagster's dbt assets run them (a `dbt` subprocess with the arguments
coaching_pipeline.defs.dbt.dbt_build_args gives: every data test, no unit tests):
- a full build (`dbt build --full-refresh` over what coaching_dbt_assets selects);
- the build of one new day's partition (`--vars '{"min_date": D, "max_date": D}'`);
- the rebuild of the reference marts (reps, rubric versions) that reference_data_job runs;
and one partition of coaching_dbt_assets materialized through Dagster (`dg.materialize`). Reports medians of
wall time and of dbt's own execution time (run_results.json), and the one-day/full ratio. Last line: one
JSON object.

    .venv/bin/python bench/marts.py [--calls 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

import dagster as dg
import psycopg

from coaching_pipeline.defs.dbt_project import prepare_manifest
from coaching_sandbox.warehouse.dbt_cli import run_dbt_command as dbt
from coaching_sandbox.warehouse.loading import seed_days, seed_warehouse
from coaching_sandbox.warehouse.scratch import scratch_database
from coaching_sandbox.warehouse.synthetic import SyntheticSpec

prepare_manifest()  # the dbt assets below read the manifest when imported: parse a fresh checkout first

from coaching_pipeline.defs.dbt import (  # noqa: E402
    REFERENCE_MODELS,
    coaching_dbt_assets,
    dbt_build_args,
    dbt_resource,
    partition_vars,
)

DAYS = 400
# What coaching_dbt_assets selects: every model but the reference marts, which reference_data_job refreshes.
PARTITION_SELECTION = ["--exclude", REFERENCE_MODELS]


def one_day_window(day: date) -> dg.TimeWindow:
    start = datetime.combine(day, time_of_day())
    return dg.TimeWindow(start=start, end=start + timedelta(days=1))


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


def dagster_partition_run(url: str, day: date) -> float:
    """Seconds for one partition of coaching_dbt_assets materialized through Dagster, in this process."""
    started = time.perf_counter()
    result = dg.materialize([coaching_dbt_assets], partition_key=day.isoformat(), resources={"dbt": dbt_resource(url)})
    if not result.success:
        raise SystemExit("Dagster partition run failed")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    with scratch_database("bench_marts") as url, tempfile.TemporaryDirectory(prefix="dbt-bench-") as scratch:
        target = Path(scratch)
        spec, new_day, seed_seconds = seed(url, options.calls)
        with psycopg.connect(url) as conn:
            analyses = conn.execute("select count(*) from coaching.call_analyses").fetchone()[0]
        calls = spec.days * spec.calls_per_day + spec.calls_per_day
        print(f"seeded {calls} calls, {analyses} analyses in {seed_seconds:.1f} s")
        day_args = [*dbt_build_args(one_day_window(new_day)), *PARTITION_SELECTION]
        assert json.loads(day_args[day_args.index("--vars") + 1]) == partition_vars(one_day_window(new_day))
        dbt(url, target, ["build", "--exclude-resource-type", "unit_test", "--select", REFERENCE_MODELS])
        full, day, reference, dagster = [], [], [], []
        for repeat in range(options.repeats):
            full.append(dbt(url, target, [*dbt_build_args(None, full_refresh=True), *PARTITION_SELECTION]))
            day.append(dbt(url, target, day_args))
            reference.append(dbt(url, target, [*dbt_build_args(None), "--select", REFERENCE_MODELS]))
            dagster.append(dagster_partition_run(url, new_day))
            print(
                f"repeat {repeat + 1}: full {full[-1][0]:.1f} s (dbt {full[-1][1]:.1f} s), one day "
                f"{day[-1][0]:.2f} s (dbt {day[-1][1]:.2f} s), through Dagster {dagster[-1]:.2f} s"
            )
    full_wall, full_dbt = (statistics.median(run[i] for run in full) for i in range(2))
    day_wall, day_dbt = (statistics.median(run[i] for run in day) for i in range(2))
    report = {
        "benchmark": "marts",
        "calls": calls,
        "analyses": analyses,
        "repeats": options.repeats,
        "full_build_seconds": round(full_wall, 2),
        "incremental_day_seconds": round(day_wall, 2),
        "incremental_ratio": round(day_wall / full_wall, 4),
        "full_build_dbt_seconds": round(full_dbt, 2),
        "incremental_day_dbt_seconds": round(day_dbt, 2),
        "incremental_dbt_ratio": round(day_dbt / full_dbt, 4),
        "reference_refresh_seconds": round(statistics.median(run[0] for run in reference), 2),
        "dagster_partition_run_seconds": round(statistics.median(dagster), 2),
    }
    print(
        f"full build {full_wall:.1f} s, one day {day_wall:.2f} s: {day_wall / full_wall:.1%} "
        f"(dbt's own time {day_dbt / full_dbt:.1%}); one partition through Dagster "
        f"{report['dagster_partition_run_seconds']:.1f} s"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
