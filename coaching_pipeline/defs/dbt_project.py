"""The dbt project as Dagster knows it: where it lives, and how its manifest is prepared.

Definitions load the manifest when they are imported, so it must exist first. Under `dagster dev` the
definitions prepare it on every load, as `DbtProject.prepare_if_dev()` does; the CLI, the demo and the tests
call `prepare_manifest()` before they load the definitions; a deployed image prepares it at build time
(`dagster-dbt project prepare-and-package`). dagster-dbt's own preparer runs whatever `dbt` PATH finds,
which is not this virtualenv's when `make ui` starts the UI, so the parse here runs the dbt beside this
interpreter instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
PROJECT_FOLDERS = ("models", "macros", "tests")


def dbt_executable() -> str:
    """The dbt installed beside this interpreter, so dbt runs whether or not the virtualenv is on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def manifest_is_current(project: DbtProject) -> bool:
    """True when manifest.json is newer than dbt_project.yml and every file under models, macros and tests."""
    if not project.manifest_path.exists():
        return False
    sources = [project.project_dir / "dbt_project.yml"]
    for folder in PROJECT_FOLDERS:
        sources += [path for path in (project.project_dir / folder).rglob("*") if path.is_file()]
    return project.manifest_path.stat().st_mtime >= max(path.stat().st_mtime for path in sources)


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest(project: DbtProject = dbt_project) -> Path:
    """Parse the project if its manifest is missing or older than the project's files; return its path."""
    if not manifest_is_current(project):
        resource = DbtCliResource(project_dir=project, dbt_executable=dbt_executable())
        resource.cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return project.manifest_path


def prepare_manifest_if_dev() -> None:
    """What `DbtProject.prepare_if_dev()` does, with prepare_manifest(): parse on load under `dagster dev`."""
    if dbt_project.preparer.using_dagster_dev():
        prepare_manifest()
