"""Sync Gong users into raw.users with their coaching role and team."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coaching_pipeline.ingestion.classify import load_team_overrides, role_from_title, team_for
from coaching_pipeline.ingestion.records import raw_dict, user_row
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


def sync_users(url: str, users: Iterable[Any], teams_file: Path | None = None) -> dict[str, int]:
    """Upsert every user in one transaction; returns counts of users seen and rows changed."""
    payloads = [raw_dict(u) for u in users]
    by_id = {str(u["id"]): u for u in payloads}
    overrides = load_team_overrides(teams_file)
    rows = [user_row(u, role_from_title(u.get("title")), team_for(u, by_id, overrides)) for u in payloads]
    changed = 0
    with connect(url) as conn:
        for row in rows:
            changed += conn.execute(queries.UPSERT_USER, row).rowcount
    return {"users": len(rows), "changed": changed}
