"""Fixtures: writable copies of the shipped rubrics and KB, and a private database per store test."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from coaching_pipeline.knowledge.errors import repo_root
from coaching_pipeline.warehouse.db import parse_url, with_database
from coaching_pipeline.warehouse.migrate import migrate

RubricEdit = Callable[[dict[str, Any]], None]


@pytest.fixture
def rubrics_dir(tmp_path: Path) -> Path:
    """A copy of rubrics/ (files and lock), so tests can edit and release without touching the repo."""
    return Path(shutil.copytree(repo_root() / "rubrics", tmp_path / "rubrics"))


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(repo_root() / "kb", tmp_path / "kb"))


@pytest.fixture
def write_rubric(rubrics_dir: Path) -> Callable[..., Path]:
    """Write discovery v1's content, changed by `edit`, as <dimension>/<version>.yaml in the copy."""

    def write(edit: RubricEdit, version: str = "v2", dimension: str = "discovery") -> Path:
        data = yaml.safe_load((rubrics_dir / dimension / "v1.yaml").read_text(encoding="utf-8"))
        data["version"] = version
        edit(data)
        path = rubrics_dir / dimension / f"{version}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="module")
def _module_db(database_url: str) -> Iterator[str]:
    name = f"{parse_url(database_url).dbname}_kn_{secrets.token_hex(3)}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = with_database(database_url, name)
    migrate(url)
    yield url
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def private_db(_module_db: str) -> str:
    """An empty knowledge schema in a private database: conflicting rubrics written here cannot leak into
    other suites, which share the session database."""
    with psycopg.connect(_module_db, autocommit=True) as conn:
        conn.execute("truncate coaching.rubrics, coaching.kb_documents")
    return _module_db
