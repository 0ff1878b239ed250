"""Where deliveries go: raw.gong_webhook_events, through a small async connection pool."""

from __future__ import annotations

from datetime import datetime

from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel

from coaching_pipeline.webhooks import queries


class WebhookEvent(BaseModel):
    body_sha256: str
    status: str
    reason: str | None = None
    call_id: str | None = None
    call_started_at: datetime | None = None
    auth_method: str
    body: str


class EventStore:
    """Opened and closed with the app (its lifespan); `save` returns the new event id, None for a repeat.

    Inserts commit without waiting for the WAL flush (synchronous_commit=off): an acknowledged event survives
    anything but a Postgres crash in the following fraction of a second, and a call whose event is lost that
    way is still found by the sensor's next poll of Gong. Waiting for the flush costs several milliseconds
    per delivery on a busy disk (docs/benchmarks.md).
    """

    def __init__(self, url: str, *, max_connections: int = 4) -> None:
        self.pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            open=False,
            kwargs={"autocommit": True, "options": "-c synchronous_commit=off"},
        )

    async def open(self) -> None:
        await self.pool.open(wait=True, timeout=30)

    async def close(self) -> None:
        await self.pool.close()

    async def save(self, event: WebhookEvent) -> int | None:
        async with self.pool.connection() as conn:
            cursor = await conn.execute(queries.INSERT_EVENT, event.model_dump())
            row = await cursor.fetchone()
        return row[0] if row else None

    async def ping(self) -> bool:
        async with self.pool.connection(timeout=5) as conn:
            await conn.execute(queries.PING)
        return True
