"""Migrations apply once, in order, and refuse an edited released migration."""

from __future__ import annotations

import psycopg
import pytest

from coaching_pipeline.warehouse import migrate as migrate_module
from coaching_pipeline.warehouse.migrate import Migration, MigrationError, migrate


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
