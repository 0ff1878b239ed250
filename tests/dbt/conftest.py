"""One seeded warehouse database and one full `dbt build` shared by every dbt test."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from coaching_pipeline.warehouse.db import with_database
from coaching_pipeline.warehouse.migrate import migrate
from coaching_sandbox.warehouse.loading import seed_warehouse
from coaching_sandbox.warehouse.synthetic import SyntheticSpec
from tests.dbt.dbt_runs import run_dbt

SPEC = SyntheticSpec()


@pytest.fixture(scope="session")
def dbt_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dbt-target")


@pytest.fixture(scope="session")
def marts_url(database_url: str, dbt_target: Path) -> Iterator[str]:
    """A database of its own (other tests write the raw tables too), seeded, migrated and built once."""
    name = f"coaching_dbt_{secrets.token_hex(4)}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = with_database(database_url, name)
    try:
        migrate(url)
        with psycopg.connect(url) as conn:
            seed_warehouse(conn, SPEC)
        run_dbt(url, dbt_target, "build")
        yield url
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture(scope="session")
def engine(marts_url: str) -> Iterator[sa.Engine]:
    """For pandas.read_sql, which wants SQLAlchemy."""
    created = sa.create_engine(marts_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.NullPool)
    yield created
    created.dispose()


@pytest.fixture
def marts_db(marts_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(marts_url, autocommit=True) as conn:
        yield conn
