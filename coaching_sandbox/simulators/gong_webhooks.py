"""Gong's side of an automation-rule webhook: a rule's RSA key pair, its payloads and its signed JWT header.

Tests and the benchmark send deliveries with it to the real receiver, exactly as Gong's "Fire webhook" would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class GongWebhookRule:
    """One rule: the URL it posts to and the key pair behind its "Signed JWT header" option."""

    webhook_url: str
    private_key: rsa.RSAPrivateKey = field(default_factory=_new_key)

    def public_key_pem(self) -> str:
        return (
            self.private_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def public_key_base64(self) -> str:
        """The key as Gong's "Show public key" displays it: base64 DER, no PEM armour."""
        return "".join(line for line in self.public_key_pem().splitlines() if not line.startswith("-----"))

    def jwt(self, body: bytes, *, expires_in: float = 300, webhook_url: str | None = None) -> str:
        claims = {
            "webhook_url": webhook_url or self.webhook_url,
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "exp": int(time.time() + expires_in),
        }
        return jwt.encode(claims, self.private_key, algorithm="RS256")

    def headers(self, body: bytes, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": self.jwt(body, **kwargs), "Content-Type": "application/json"}


def hmac_headers(body: bytes, secret: str, header: str = "X-Gong-Signature") -> dict[str, str]:
    """What a signing proxy adds in front of the receiver (the original plan's scheme)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {header: f"sha256={digest}", "Content-Type": "application/json"}


def delivery(call_id: str, started: datetime, *, is_test: bool = False, extra: dict[str, Any] | None = None) -> bytes:
    """The raw body Gong posts: `{"callData": <extensive call>, "isTest": ...}`."""
    call = {
        "metaData": {
            "id": call_id,
            "url": f"https://app.gong.io/call?id={call_id}",
            "title": "Discovery call",
            "started": started.isoformat(),
            "duration": 1800,
            "primaryUserId": "700000000000000001",
            "direction": "Conference",
            "scope": "External",
            "media": "Video",
        },
        "parties": [{"id": f"{call_id}1", "name": "Casey Customer", "affiliation": "External"}],
        "content": {"brief": "The customer described their scheduling pain."},
        **(extra or {}),
    }
    return json.dumps({"callData": call, "isTest": is_test}).encode()
