"""The receiver on a loopback port (uvicorn in a thread) with all three methods configured, on its own database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from coaching_pipeline.gong.webhooks import WebhookAuth, load_public_key
from coaching_pipeline.warehouse.db import connect
from coaching_pipeline.webhooks.app import create_app
from coaching_pipeline.webhooks.config import WebhookConfig
from coaching_sandbox.simulators._server import serve_app
from coaching_sandbox.simulators.gong_webhooks import GongWebhookRule

PUBLIC_URL = "https://coaching.example/webhooks/gong"
SECRET = "hmac-secret-for-tests"
TOKEN = "url-token-for-tests"
MAX_BODY = 64_000


@dataclass(frozen=True)
class Receiver:
    url: str
    database_url: str
    rule: GongWebhookRule
    client: httpx.Client

    def post(self, body: bytes, headers: dict[str, str] | None = None, **params: str) -> httpx.Response:
        return self.client.post("/webhooks/gong", content=body, headers=headers or {}, params=params)

    def stored(self) -> list[dict]:
        with connect(self.database_url) as conn:
            return conn.execute("select * from raw.gong_webhook_events order by event_id").fetchall()


@pytest.fixture(scope="module")
def receiver(isolated_database_url: str) -> Iterator[Receiver]:
    rule = GongWebhookRule(PUBLIC_URL)
    auth = WebhookAuth(
        public_key=load_public_key(rule.public_key_pem()),
        webhook_url=PUBLIC_URL,
        hmac_secret=SECRET.encode(),
        url_token=TOKEN,
    )
    app = create_app(WebhookConfig(auth=auth, max_body_bytes=MAX_BODY), isolated_database_url)
    with serve_app(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield Receiver(base_url, isolated_database_url, rule, client)
