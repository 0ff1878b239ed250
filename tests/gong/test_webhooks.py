"""Gong webhook verification, pure: the signed JWT, the HMAC header and the URL token, each way it can fail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.datastructures import Headers

from coaching_pipeline.gong.webhooks import (
    WebhookAuth,
    WebhookAuthError,
    WebhookPayloadError,
    authenticate,
    load_public_key,
    parse_payload,
)
from coaching_sandbox.simulators.gong_webhooks import GongWebhookRule, delivery, hmac_headers

URL = "https://coaching.example/webhooks/gong"
BODY = delivery("7001", datetime(2026, 11, 20, 15, tzinfo=UTC))


@pytest.fixture(scope="module")
def rule() -> GongWebhookRule:
    return GongWebhookRule(URL)


@pytest.fixture(scope="module")
def auth(rule: GongWebhookRule) -> WebhookAuth:
    return WebhookAuth(public_key=load_public_key(rule.public_key_pem()), webhook_url=URL)


def _check(auth: WebhookAuth, headers: dict[str, str], body: bytes = BODY, token: str | None = None) -> str:
    return authenticate(Headers(headers), token, body, auth)


def test_authenticate_accepts_gongs_signed_jwt(rule: GongWebhookRule, auth: WebhookAuth) -> None:
    assert _check(auth, rule.headers(BODY)) == "jwt"


def test_authenticate_accepts_a_bearer_prefixed_jwt(rule: GongWebhookRule, auth: WebhookAuth) -> None:
    assert _check(auth, {"Authorization": f"Bearer {rule.jwt(BODY)}"}) == "jwt"


def test_load_public_key_takes_gongs_bare_base64(rule: GongWebhookRule) -> None:
    key = load_public_key(rule.public_key_base64())
    assert key.public_numbers() == rule.private_key.public_key().public_numbers()


def test_load_public_key_rejects_garbage_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="not a valid public key") as caught:
        load_public_key("not-a-key-SECRETISH")
    assert "SECRETISH" not in str(caught.value)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("tampered", "body_sha256"),
        ("expired", "expired"),
        ("wrong_url", "webhook_url"),
        ("wrong_key", "InvalidSignatureError"),
        ("missing", "missing Authorization"),
    ],
)
def test_authenticate_rejects_a_bad_jwt(rule: GongWebhookRule, auth: WebhookAuth, case: str, reason: str) -> None:
    headers = {
        "tampered": rule.headers(BODY),
        "expired": rule.headers(BODY, expires_in=-600),
        "wrong_url": rule.headers(BODY, webhook_url="https://elsewhere.example/hook"),
        "wrong_key": GongWebhookRule(URL).headers(BODY),
        "missing": {},
    }[case]
    body = BODY.replace(b"7001", b"7002") if case == "tampered" else BODY
    with pytest.raises(WebhookAuthError, match=reason):
        _check(auth, headers, body)


def test_authenticate_checks_the_hmac_header() -> None:
    auth = WebhookAuth(hmac_secret=b"s3cret")
    assert _check(auth, hmac_headers(BODY, "s3cret")) == "hmac"
    with pytest.raises(WebhookAuthError, match="HMAC"):
        _check(auth, hmac_headers(BODY, "other"))


def test_authenticate_checks_the_url_token() -> None:
    auth = WebhookAuth(url_token="tok-123")
    assert _check(auth, {}, token="tok-123") == "url_token"
    with pytest.raises(WebhookAuthError, match="URL token does not match") as caught:
        _check(auth, {}, token="tok-124")
    assert "tok-12" not in str(caught.value)


def test_parse_payload_names_the_missing_field_not_the_values() -> None:
    with pytest.raises(WebhookPayloadError, match="callData") as caught:
        parse_payload({"isTest": False, "call": {"secret": "jane@example.com"}})
    assert "jane@example.com" not in str(caught.value)
