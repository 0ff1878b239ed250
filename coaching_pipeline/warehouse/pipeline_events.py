"""The pipeline's own event log (`coaching.pipeline_events`): what the health mart and the runbook read."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

PipelineEventKind = Literal[
    "run_started",
    "run_succeeded",
    "run_failed",
    "breaker_opened",
    "breaker_closed",
    "work_deferred",
    "work_resumed",
    "gong_backoff",
    "postgres_retry",
    "alert_sent",
    "alert_failed",
]

_INSERT = """
insert into coaching.pipeline_events (event_key, kind, occurred_at, run_id, call_id, dimension, detail)
values (%(event_key)s, %(kind)s, coalesce(%(occurred_at)s, now()), %(run_id)s, %(call_id)s, %(dimension)s,
        %(detail)s)
on conflict (event_key) do nothing
"""


def record_pipeline_event(
    conn: psycopg.Connection[Any],
    kind: PipelineEventKind,
    *,
    event_key: str | None = None,
    occurred_at: datetime | None = None,
    run_id: str | None = None,
    call_id: str | None = None,
    dimension: str | None = None,
    detail: dict[str, Any] | None = None,
) -> bool:
    """Append one event; False when an event with the same key is already recorded.

    Without an explicit `event_key` the key is derived from every field, so the same report made twice (a
    retried write, a sensor tick evaluated again) is stored once, while distinct events stay distinct."""
    payload = detail or {}
    key = event_key or _derived_key(kind, occurred_at, run_id, call_id, dimension, payload)
    cursor = conn.execute(
        _INSERT,
        {
            "event_key": key,
            "kind": kind,
            "occurred_at": occurred_at,
            "run_id": run_id,
            "call_id": call_id,
            "dimension": dimension,
            "detail": Jsonb(payload),
        },
    )
    return cursor.rowcount == 1


def _derived_key(
    kind: str,
    occurred_at: datetime | None,
    run_id: str | None,
    call_id: str | None,
    dimension: str | None,
    detail: dict[str, Any],
) -> str:
    stamp = occurred_at.isoformat() if occurred_at else datetime.now().isoformat()
    parts = [kind, stamp, run_id or "", call_id or "", dimension or "", json.dumps(detail, sort_keys=True, default=str)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
