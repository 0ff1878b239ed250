"""Send an alert once: coaching.pipeline_events remembers each alert by its key (`alert:<what>:<which>`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

import httpx
import psycopg
from pydantic import SecretStr

from coaching_pipeline.alerts.slack import post_slack
from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event

AlertOutcome = Literal["sent", "already_sent", "failed", "no_webhook"]
Poster = Callable[[SecretStr, dict[str, Any]], None]

_SENT = "select 1 from coaching.pipeline_events where event_key = %s and kind = 'alert_sent'"


def send_alert_once(
    url: str,
    key: str,
    payload: dict[str, Any],
    webhook: SecretStr | None,
    *,
    attempts: int = 2,
    retry_seconds: float = 1.0,
    post: Poster = post_slack,
) -> AlertOutcome:
    """Post `payload` unless an alert with `key` was sent before; record `alert_sent` (key `key`) or
    `alert_failed` (key `<key>:failed`, so a later evaluation may try again).

    A transaction-scoped advisory lock on the key holds while posting, so two evaluations at once (a sensor
    tick retried while the first is still running) post once between them."""
    if webhook is None:
        return "no_webhook"
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))
        if conn.execute(_SENT, (key,)).fetchone():
            return "already_sent"
        error = _post_with_retries(webhook, payload, attempts, retry_seconds, post)
        detail = {"text": str(payload.get("text", ""))[:300], **({"error": error} if error else {})}
        if error is None:
            record_pipeline_event(conn, "alert_sent", event_key=key, detail=detail)
            return "sent"
        record_pipeline_event(conn, "alert_failed", event_key=f"{key}:failed", detail=detail)
        return "failed"


def _post_with_retries(
    webhook: SecretStr, payload: dict[str, Any], attempts: int, retry_seconds: float, post: Poster
) -> str | None:
    """None once a post succeeds, else the last error (its type and Slack's answer, never the webhook URL)."""
    error: str | None = None
    for attempt in range(1, attempts + 1):
        try:
            post(webhook, payload)
            return None
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300].replace(webhook.get_secret_value(), "***")
            if attempt < attempts:
                time.sleep(retry_seconds * 2 ** (attempt - 1))
    return error
