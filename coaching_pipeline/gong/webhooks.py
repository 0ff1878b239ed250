"""Gong's automation-rule webhook: the payload shape and the three ways a delivery proves where it came from.

Pure: no I/O. `authenticate` accepts a delivery when one configured method passes: Gong's signed JWT header
(RS256, claims `exp`, `body_sha256` of the raw body, `webhook_url`), an HMAC-SHA256 signature header, or a
secret token in the URL. Every comparison of secret-derived values is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import Field, ValidationError

from coaching_pipeline.gong.models import ExtensiveCall, GongModel

AuthMethod = Literal["jwt", "hmac", "url_token"]
_PEM_BODY = re.compile(r"[^A-Za-z0-9+/=]")


class WebhookAuthError(Exception):
    """The delivery is not authentic; the message says why without echoing any credential."""


class WebhookPayloadError(ValueError):
    """The delivery is authentic but is not Gong's webhook payload."""


class WebhookPayload(GongModel):
    """`{"callData": <extensive call>, "isTest": bool}`; unknown fields ignored like every Gong shape."""

    call_data: ExtensiveCall = Field(alias="callData")
    is_test: bool = False


def is_test_delivery(document: Any) -> bool:
    """Gong's "Test now" button sends isTest: true; such a delivery is acknowledged, never ingested."""
    return isinstance(document, dict) and document.get("isTest") is True


def parse_payload(document: Any) -> WebhookPayload:
    """Validate a delivery; the error names the bad fields (never their values, which may hold PII)."""
    try:
        return WebhookPayload.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
        raise WebhookPayloadError(f"not a Gong webhook payload: {problems}") from None


def load_public_key(text: str) -> RSAPublicKey:
    """The rule's public key as Gong shows it (bare base64) or as PEM; literal "\\n" from an env var works too."""
    text = text.replace("\\n", "\n").strip()
    if "-----BEGIN" not in text:
        body = _PEM_BODY.sub("", text)
        lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        text = f"-----BEGIN PUBLIC KEY-----\n{lines}\n-----END PUBLIC KEY-----"
    try:
        key = load_pem_public_key(text.encode())
    except ValueError as exc:
        raise ValueError("GONG_WEBHOOK_PUBLIC_KEY is not a valid public key (PEM or base64 DER)") from exc
    if not isinstance(key, RSAPublicKey):
        raise ValueError("GONG_WEBHOOK_PUBLIC_KEY must be an RSA key (Gong signs with RS256)")
    return key


@dataclass(frozen=True)
class WebhookAuth:
    """The configured methods; None disables one. At least one must be set (see `configured`)."""

    public_key: RSAPublicKey | None = None
    webhook_url: str | None = None
    hmac_secret: bytes | None = None
    signature_header: str = "X-Gong-Signature"
    url_token: str | None = None
    leeway_seconds: int = 30

    @property
    def configured(self) -> list[AuthMethod]:
        methods: list[AuthMethod] = []
        if self.public_key is not None:
            methods.append("jwt")
        if self.hmac_secret:
            methods.append("hmac")
        if self.url_token:
            methods.append("url_token")
        return methods


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def verify_jwt(authorization: str | None, body: bytes, auth: WebhookAuth) -> None:
    """Gong's signed JWT header: signature, expiry, the body's SHA-256 and the registered URL."""
    if not authorization:
        raise WebhookAuthError("missing Authorization header")
    token = authorization.removeprefix("Bearer ").strip()
    try:
        claims = jwt.decode(
            token,
            auth.public_key,
            algorithms=["RS256"],
            options={"require": ["exp", "body_sha256", "webhook_url"]},
            leeway=auth.leeway_seconds,
        )
    except jwt.ExpiredSignatureError:
        raise WebhookAuthError("JWT expired") from None
    except jwt.InvalidTokenError as exc:
        raise WebhookAuthError(f"JWT rejected: {type(exc).__name__}") from None
    if not _same(str(claims["body_sha256"]).lower(), body_sha256(body)):
        raise WebhookAuthError("JWT body_sha256 does not match the body")
    if not _same(str(claims["webhook_url"]).rstrip("/"), (auth.webhook_url or "").rstrip("/")):
        raise WebhookAuthError("JWT webhook_url is not this receiver's URL")


def verify_hmac(signature: str | None, body: bytes, auth: WebhookAuth) -> None:
    """Hex HMAC-SHA256 of the raw body, bare or as `sha256=<hex>`."""
    if not signature:
        raise WebhookAuthError(f"missing {auth.signature_header} header")
    expected = hmac.new(auth.hmac_secret or b"", body, hashlib.sha256).hexdigest()
    if not _same(signature.strip().removeprefix("sha256=").lower(), expected):
        raise WebhookAuthError("HMAC signature does not match the body")


def verify_url_token(token: str | None, auth: WebhookAuth) -> None:
    if not token:
        raise WebhookAuthError("missing URL token")
    if not _same(token, auth.url_token or ""):
        raise WebhookAuthError("URL token does not match")


def authenticate(headers: Any, url_token: str | None, body: bytes, auth: WebhookAuth) -> AuthMethod:
    """The first configured method that passes; otherwise WebhookAuthError naming each method's failure."""
    failures = []
    for method in auth.configured:
        try:
            if method == "jwt":
                verify_jwt(headers.get("authorization"), body, auth)
            elif method == "hmac":
                verify_hmac(headers.get(auth.signature_header), body, auth)
            else:
                verify_url_token(url_token, auth)
        except WebhookAuthError as exc:
            failures.append(f"{method}: {exc}")
            continue
        return method
    raise WebhookAuthError("; ".join(failures) or "no authentication method configured")
