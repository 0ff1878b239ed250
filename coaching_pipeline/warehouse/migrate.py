"""Versioned SQL migrations, applied in order, each once, under an advisory lock."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.errors import WarehouseUnavailable
from coaching_pipeline.warehouse.retry import retry_transient

MIGRATION_LOCK_ID = 7_240_311
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """An applied migration was edited, or a migration failed to apply."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    folder = resources.files("coaching_pipeline.warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def migrate(url: str) -> list[str]:
    """Apply pending migrations; return the names applied. Safe to call from many processes at once. The first
    connection of every command is this one: it waits for a restarting server (COACHING_PG_RETRY_SECONDS), then
    gives up with WarehouseUnavailable, whose message is one line."""
    applied_now: list[str] = []
    try:
        connection = retry_transient(
            lambda: psycopg.connect(url, connect_timeout=10),
            budget_seconds=get_settings().coaching_pg_retry_seconds,
        )
    except psycopg.OperationalError as exc:
        raise WarehouseUnavailable(url, exc) from None
    with connection as conn:
        conn.execute("select pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_ID,))
        conn.execute(
            """
            create schema if not exists coaching_meta;
            create table if not exists coaching_meta.schema_migrations (
                version integer primary key,
                name text not null,
                checksum text not null,
                applied_at timestamptz not null default now()
            )
            """
        )
        done = {row[0]: row[1] for row in conn.execute("select version, checksum from coaching_meta.schema_migrations")}
        for migration in available_migrations():
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    raise MigrationError(
                        f"migration {migration.name} was edited after it was applied; "
                        "add a new migration instead of changing a released one"
                    )
                continue
            try:
                conn.execute(migration.sql)
            except psycopg.Error as exc:
                raise MigrationError(f"migration {migration.name} failed: {exc}") from exc
            conn.execute(
                "insert into coaching_meta.schema_migrations (version, name, checksum) values (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
            applied_now.append(migration.name)
        conn.commit()
    return applied_now
