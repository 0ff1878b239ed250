"""dbt as the assets run it, a subprocess of the interpreter's own dbt, for the benchmarks' scratch warehouses."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from coaching_pipeline.defs.dbt_project import DBT_PROJECT_DIR, dbt_executable
from coaching_pipeline.warehouse.dbt_env import dbt_env


def run_dbt_command(url: str, target: Path, args: list[str]) -> tuple[float, float]:
    """Run `dbt <args>` against `url` with artifacts in `target`; wall seconds and dbt's own elapsed seconds.
    Exits with dbt's output when the command fails."""
    project = str(DBT_PROJECT_DIR)
    command = [dbt_executable(), *args, "--project-dir", project, "--profiles-dir", project]
    command += ["--target-path", str(target), "--log-path", str(target), "--no-version-check", "--quiet"]
    started = time.perf_counter()
    completed = subprocess.run(command, env={**os.environ, **dbt_env(url)}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{completed.stdout[-4000:]}")
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return wall, float(results["elapsed_time"])
