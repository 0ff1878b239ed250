"""Migrations apply once, in order, and refuse an edited released migration."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import psycopg
import pytest

from coaching_pipeline.warehouse import migrate as migrate_module
from coaching_pipeline.warehouse.migrate import Migration, MigrationError, migrate

if TYPE_CHECKING:
    from tests.conftest import DatabaseFactory


def test_migrate_is_idempotent(database_url: str) -> None:
    assert migrate(database_url) == []
    with psycopg.connect(database_url) as conn:
        versions = [r[0] for r in conn.execute("select version from coaching_meta.schema_migrations order by 1")]
    assert versions == [m.version for m in migrate_module.available_migrations()]


def test_migrate_rejects_edited_migration(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    original = migrate_module.available_migrations()
    edited = [Migration(original[0].version, original[0].name, original[0].sql + "\n-- edited")] + original[1:]
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: edited)
    with pytest.raises(MigrationError, match="edited after it was applied"):
        migrate(database_url)


def database_before(
    version: int, label: str, database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A new database migrated up to, not including, `version` (migrate(url) then applies the rest)."""
    released = migrate_module.available_migrations()
    with monkeypatch.context() as patch:
        patch.setattr(migrate_module, "available_migrations", lambda: [m for m in released if m.version < version])
        return database_factory.create(label)


def test_ledger_call_date_migration_backfills_from_calls(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_before(6, "ledger_call_date", database_factory, monkeypatch)
    with psycopg.connect(url) as conn:
        conn.execute(
            "insert into raw.calls (call_id, call_date, started_at, duration_seconds, call_type, payload)"
            " values ('c-1', '2026-03-02', '2026-03-02 23:30+00', 60, 'demo', '{}')"
        )
        conn.execute(
            "insert into coaching.llm_requests (call_id, model, mode, status)"
            " values ('c-1', 'm', 'sync', 'ok'), (null, 'm', 'batch', 'error'), ('gone', 'm', 'sync', 'ok')"
        )
        conn.execute(
            "insert into coaching.cache_events (cache_key, call_id, model, is_hit) values ('k', 'c-1', 'm', true)"
        )
    assert "006_ledger_call_date.sql" in migrate(url)
    with psycopg.connect(url) as conn:
        requests = dict(conn.execute("select coalesce(call_id, '-'), call_date from coaching.llm_requests").fetchall())
        events = conn.execute("select call_date from coaching.cache_events").fetchall()
    assert requests == {"c-1": date(2026, 3, 2), "-": None, "gone": None}
    assert events == [(date(2026, 3, 2),)]


def test_ephemeral_layers_migration_drops_the_views_earlier_builds_left(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_before(7, "ephemeral_layers", database_factory, monkeypatch)
    with psycopg.connect(url) as conn:
        conn.execute("create schema staging; create schema if not exists intermediate")
        conn.execute("create view staging.stg_gong__calls as select call_id, call_date from raw.calls")
        conn.execute("create view intermediate.int_call_analyses_joined as select * from staging.stg_gong__calls")
        conn.execute("create table intermediate.int_rubric_versions_ranked (dimension text)")
    assert "007_drop_ephemeral_views.sql" in migrate(url)
    with psycopg.connect(url) as conn:
        left = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('staging', 'intermediate')"
        ).fetchall()
        conn.execute("alter table raw.calls drop column call_date")
    assert left == [("intermediate.int_rubric_versions_ranked",)]


def test_issue_severity_migration_makes_earlier_issues_errors(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_before(9, "issue_severity", database_factory, monkeypatch)
    with psycopg.connect(url) as conn:
        conn.execute(
            "insert into raw.ingestion_issues (call_id, stage, reason) values ('c-1', 'transcript', 'unknown_speaker')"
        )
    assert "009_ingestion_issue_severity.sql" in migrate(url)
    with psycopg.connect(url) as conn:
        assert conn.execute("select severity from raw.ingestion_issues").fetchall() == [("error",)]
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("update raw.ingestion_issues set severity = 'info'")
