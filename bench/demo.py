"""Time `make demo` from a fresh clone: install, embedded Postgres, sensor, all partitions, marts, report.

Clones this repository's HEAD into a temporary folder and runs the README's first command there with a fresh
COACHING_HOME and no DATABASE_URL (so the embedded server is used), exactly as a newcomer would. Target: under
5 minutes including the install. Last line: one JSON object.

    .venv/bin/python bench/demo.py [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the clone and its state for inspection")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="coaching-demo-bench-"))
    clone = workdir / "repo"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL", "VIRTUAL_ENV"}}
    env["COACHING_HOME"] = str(workdir / "home")
    started = time.perf_counter()
    result = subprocess.run(["make", "demo"], cwd=clone, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    succeeded = result.returncode == 0 and "succeeded." in output and "marts.team_weekly_scores" in output
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    if not succeeded:
        print(output[-4000:])
    print(
        json.dumps(
            {
                "benchmark": "demo",
                "date": date.today().isoformat(),
                "seconds_including_install": round(seconds, 1),
                "target_seconds": TARGET_SECONDS,
                "under_target": succeeded and seconds < TARGET_SECONDS,
                "succeeded": succeeded,
            }
        )
    )


if __name__ == "__main__":
    main()
