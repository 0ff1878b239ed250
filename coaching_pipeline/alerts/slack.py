"""Post a message to a Slack incoming webhook (httpx): the one poster the alerts and the weekly reviews share."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import SecretStr

TIMEOUT_SECONDS = 30.0


def post_slack(webhook: SecretStr, payload: dict[str, Any], *, timeout: float = TIMEOUT_SECONDS) -> None:
    """Raise httpx.HTTPError unless Slack answers 200 (its webhooks answer `ok`, or an error text)."""
    response = httpx.post(webhook.get_secret_value(), json=payload, timeout=timeout)
    if response.status_code != 200:
        raise httpx.HTTPStatusError(
            f"Slack answered {response.status_code}: {response.text[:200]}", request=response.request, response=response
        )
