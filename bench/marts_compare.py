"""One-day partition builds and full builds of this checkout against an earlier revision, interleaved on one warehouse.

Machines are shared and noisy, so a change to the marts is best measured as an A/B: both variants run in
this process, round after round, on the same synthetic warehouse (bench/marts.py's), and the medians are
compared. The baseline is the dbt project of `--baseline` (a git revision, extracted with `git archive`)
run with dbt's stock ephemeral-CTE injection; this checkout runs as Dagster runs it (in process, with
coaching_pipeline.defs.dbt_cte_injection). Everything else (catalog checks, build arguments) is this
checkout's for both. Last line: one JSON object.

    .venv/bin/python bench/marts_compare.py --baseline c03fb52 [--calls 100000] [--rounds 3] [--days-per-round 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dbt import compilation
from marts import build, seed

from coaching_pipeline.defs import dbt_cte_injection
from coaching_sandbox.warehouse.scratch import scratch_database

REPOSITORY = Path(__file__).resolve().parents[1]
Injector = Callable[[str, Sequence[Any]], str]


def extract_project(revision: str, into: Path) -> Path:
    """The dbt project as it was at `revision`, under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", revision, "dbt_project"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "dbt_project"


def use_injector(injector: Injector) -> None:
    """Make invoke_dbt's install() put `injector` in place of dbt's CTE injection."""
    dbt_cte_injection.install = lambda: setattr(compilation, "inject_ctes_into_sql", injector)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="git revision to compare with, e.g. a commit or tag")
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--days-per-round", type=int, default=3)
    options = parser.parse_args()
    with scratch_database("bench_compare") as url, tempfile.TemporaryDirectory(prefix="dbt-compare-") as scratch:
        variants = {
            "baseline": (
                extract_project(options.baseline, Path(scratch)),
                dbt_cte_injection.dbt_inject_ctes_into_sql,
            ),
            "checkout": (REPOSITORY / "dbt_project", dbt_cte_injection.inject_ctes_into_sql),
        }
        spec, new_day, _ = seed(url, options.calls)
        days: dict[str, list[float]] = {name: [] for name in variants}
        fulls: dict[str, list[float]] = {name: [] for name in variants}
        # Round 0 warms up both variants (a full parse each, then the partial-parse state) and is not counted.
        for round_number in range(options.rounds + 1):
            for name, (project, injector) in variants.items():
                use_injector(injector)
                target = Path(scratch) / f"target-{name}"
                full = build(url, target, full_refresh=True, project_dir=project)[0]
                day = [
                    build(url, target, full_refresh=False, day=new_day, project_dir=project)[0]
                    for _ in range(options.days_per_round)
                ]
                if round_number:
                    fulls[name].append(full)
                    days[name].extend(day)
                    seconds = ", ".join(f"{value:.2f}" for value in day)
                    print(f"round {round_number} {name}: full {full:.1f} s, days {seconds} s")
    report: dict[str, Any] = {"benchmark": "marts_compare", "baseline": options.baseline, "calls": options.calls}
    for name in variants:
        day, full = statistics.median(days[name]), statistics.median(fulls[name])
        report |= {f"{name}_day_seconds": round(day, 3), f"{name}_full_seconds": round(full, 2)}
        report[f"{name}_ratio"] = round(day / full, 4)
    report["day_speedup"] = round(report["baseline_day_seconds"] / report["checkout_day_seconds"], 3)
    print(
        f"one day: baseline {report['baseline_day_seconds']:.3f} s, checkout {report['checkout_day_seconds']:.3f} s "
        f"({report['day_speedup']:.2f}x); ratio to a full build: {report['baseline_ratio']:.1%} -> "
        f"{report['checkout_ratio']:.1%}"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
