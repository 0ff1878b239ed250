"""The ASGI app: `POST /webhooks/gong` authenticates, stores and acknowledges; `GET /webhooks/health` answers.

A delivery is never processed here: the next gong_calls_sensor tick turns stored events into a run for the
call's day. Nothing secret is logged (run uvicorn with access_log=False: the URL may carry the token).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from coaching_pipeline.gong.webhooks import (
    WebhookAuthError,
    WebhookPayloadError,
    authenticate,
    body_sha256,
    is_test_delivery,
    parse_payload,
)
from coaching_pipeline.webhooks.config import WebhookConfig
from coaching_pipeline.webhooks.store import EventStore, WebhookEvent

log = logging.getLogger(__name__)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The raw body, or None once it passes `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _event(body: bytes, method: str) -> WebhookEvent | None:
    """The row to store, or None for a test delivery (acknowledged, never stored)."""
    base = {
        "body_sha256": body_sha256(body),
        "auth_method": method,
        "body": body.decode("utf-8", errors="replace").replace("\x00", ""),
    }
    try:
        document = json.loads(body)
    except ValueError:
        return WebhookEvent(**base, status="invalid", reason="body is not JSON")
    if is_test_delivery(document):
        return None
    try:
        meta = parse_payload(document).call_data.meta_data
    except WebhookPayloadError as exc:
        return WebhookEvent(**base, status="invalid", reason=str(exc))
    return WebhookEvent(**base, status="received", call_id=meta.id, call_started_at=meta.started)


def create_app(config: WebhookConfig, database_url: str) -> Starlette:
    store = EventStore(database_url)

    async def receive(request: Request) -> JSONResponse:
        started = time.perf_counter()
        body = await _read_body(request, config.max_body_bytes)
        if body is None:
            log.warning("gong webhook refused: body over %d bytes", config.max_body_bytes)
            return JSONResponse({"error": f"body larger than {config.max_body_bytes} bytes"}, status_code=413)
        try:
            method = authenticate(request.headers, request.query_params.get("token"), body, config.auth)
        except WebhookAuthError as exc:
            log.warning("gong webhook unauthorized from %s: %s", request.client.host if request.client else "?", exc)
            return JSONResponse({"error": "invalid or missing credentials"}, status_code=401)
        event = _event(body, method)
        if event is None:
            log.info("gong webhook test delivery acknowledged (not stored)")
            return JSONResponse({"status": "test acknowledged"})
        event_id = await store.save(event)
        outcome = "stored" if event_id is not None else "duplicate"
        elapsed = (time.perf_counter() - started) * 1000
        log.info("gong webhook %s %s call=%s via %s in %.1f ms", event.status, outcome, event.call_id, method, elapsed)
        if event.status == "invalid":
            return JSONResponse({"error": event.reason, "recorded": outcome}, status_code=400)
        return JSONResponse({"status": outcome, "event_id": event_id, "call_id": event.call_id})

    async def health(request: Request) -> JSONResponse:
        try:
            await store.ping()
        except psycopg.Error as exc:  # includes the pool's timeout
            return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "auth_methods": config.auth.configured})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        try:
            yield
        finally:
            await store.close()

    return Starlette(
        routes=[
            Route("/webhooks/gong", receive, methods=["POST"]),
            Route("/webhooks/health", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
