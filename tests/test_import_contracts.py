"""The walls between the rooms (import-linter contracts in pyproject.toml) hold, and a breach makes them fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("coaching_pipeline", "coaching_sandbox", "mcp_app")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the packages and pyproject.toml, importable ahead of the installed ones."""
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_import_contracts_hold_for_the_repository() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("coaching_pipeline/leak.py", "import coaching_sandbox.simulators.gong\n", "never imports the sandbox"),
        ("mcp_app/leak.py", "from coaching_sandbox.corpus import generate\n", "never imports the sandbox"),
        ("coaching_pipeline/gong/leak.py", "from coaching_pipeline.warehouse import db\n", "Layers"),
        ("coaching_pipeline/knowledge/leak.py", "from coaching_pipeline.analysis import models\n", "Layers"),
        (
            "coaching_pipeline/analysis/claude/leak.py",
            "from coaching_pipeline.analysis.engine import cache\n",
            "Analysis",
        ),
        (
            "coaching_pipeline/analysis/offline/leak.py",
            "from coaching_pipeline.analysis.claude import prompt\n",
            "Analysis",
        ),
        (
            "coaching_pipeline/analysis/engine/cache_leak.py",
            "from coaching_pipeline.analysis.engine import core\n",
            None,
        ),
    ],
)
def test_import_contracts_fail_on_a_forbidden_import(
    checkout: Path, module: str, source: str, broken: str | None
) -> None:
    target = checkout / module
    if broken is None:
        # A cycle: core reaches this module through batches, and this module reaches core.
        target.write_text(source)
        batches = checkout / "coaching_pipeline/analysis/engine/batches.py"
        batches.write_text(batches.read_text() + "\nfrom coaching_pipeline.analysis.engine import cache_leak  # noqa\n")
        broken = "No import cycles"
    else:
        target.write_text(source)
    result = _lint_imports(checkout)
    assert result.returncode == 1, result.stdout
    broken_section = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in broken_section, result.stdout
