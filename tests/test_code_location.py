"""The code location loads the way `coaching ui` starts it: `dagster dev` with the virtualenv not on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COPIED = ("coaching_pipeline", "dbt_project", "rubrics", "kb")


def test_code_location_loads_every_definition_without_the_virtualenv_on_path(tmp_path: Path) -> None:
    """A checkout whose dbt manifest is missing, as after a fresh clone or an edit, with only the system's bin
    folders on PATH: loading under `dagster dev` (DAGSTER_IS_DEV_CLI) parses the dbt project with the dbt
    beside the interpreter, and every definition validates."""
    for name in COPIED:
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "target", "logs"))
    shutil.copy(REPO / "workspace.yaml", tmp_path / "workspace.yaml")
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != venv_bin)
    env = {
        "PATH": path or "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(tmp_path),
        "DAGSTER_HOME": str(tmp_path),
        "DAGSTER_IS_DEV_CLI": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    assert shutil.which("dbt", path=env["PATH"]) is None
    result = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "All code locations passed validation" in output
    assert (tmp_path / "dbt_project" / "target" / "manifest.json").exists()
