"""Turn Gong's JSON into warehouse rows (pure functions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from psycopg.types.json import Jsonb

from coaching_pipeline.ingestion.classify import call_type_from_title


def raw_dict(item: Any) -> dict[str, Any]:
    """Gong's payload exactly as received: the client's models keep it as `.raw`."""
    if isinstance(item, dict):
        return item
    raw = getattr(item, "raw", None)
    if isinstance(raw, dict):
        return raw
    return item.model_dump(mode="json", by_alias=True)


def parse_gong_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def call_date(started: datetime, tz: ZoneInfo) -> date:
    return started.astimezone(tz).date()


def call_row(meta: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    started = parse_gong_datetime(meta.get("started"))
    if started is None:
        raise ValueError(f"call {meta.get('id')} has no 'started' time")
    return {
        "call_id": str(meta["id"]),
        "call_date": call_date(started, tz),
        "started_at": started,
        "scheduled_at": parse_gong_datetime(meta.get("scheduled")),
        "duration_seconds": int(meta.get("duration") or 0),
        "title": meta.get("title"),
        "url": meta.get("url"),
        "primary_user_id": str(meta["primaryUserId"]) if meta.get("primaryUserId") else None,
        "direction": meta.get("direction"),
        "scope": meta.get("scope"),
        "media": meta.get("media"),
        "language": meta.get("language"),
        "workspace_id": str(meta["workspaceId"]) if meta.get("workspaceId") else None,
        "purpose": meta.get("purpose"),
        "call_type": call_type_from_title(meta.get("title")),
        "payload": Jsonb({"metaData": meta}),
    }


def participant_rows(call_id: str, parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "call_id": call_id,
            "party_id": str(p.get("id") or f"speaker-{p.get('speakerId')}"),
            "speaker_id": str(p["speakerId"]) if p.get("speakerId") else None,
            "user_id": str(p["userId"]) if p.get("userId") else None,
            "name": p.get("name"),
            "email": p.get("emailAddress"),
            "title": p.get("title"),
            "affiliation": p.get("affiliation") or "Unknown",
        }
        for p in parties
    ]


def user_row(user: dict[str, Any], role: str, team: str | None) -> dict[str, Any]:
    return {
        "user_id": str(user["id"]),
        "email": user.get("emailAddress"),
        "first_name": user.get("firstName"),
        "last_name": user.get("lastName"),
        "title": user.get("title"),
        "manager_id": str(user["managerId"]) if user.get("managerId") else None,
        "is_active": bool(user.get("active", True)),
        "role": role,
        "team": team,
        "created_at": parse_gong_datetime(user.get("created")),
        "payload": Jsonb(user),
    }
