"""`python -m coaching_sandbox ui`: the Dagster UI on the bundled sample tenant when GONG_* is not set."""

from __future__ import annotations

import subprocess
import sys

from coaching_pipeline.settings import get_settings
from coaching_sandbox.simulators.sample import sample_gong_environment


def main(argv: list[str]) -> int:
    if argv[:1] != ["ui"]:
        print("usage: python -m coaching_sandbox ui [coaching ui options]", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "coaching_pipeline.cli", *argv]
    if get_settings().gong_configured:
        return subprocess.call(command)
    with sample_gong_environment() as gong:
        print(f"Gong: the bundled sample tenant at {gong['GONG_BASE_URL']} (set GONG_* for yours)")
        return subprocess.call(command)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
