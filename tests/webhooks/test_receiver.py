"""The Gong webhook receiver through a real server on loopback: who gets in, what is stored, and how often."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coaching_sandbox.simulators.gong_webhooks import GongWebhookRule, delivery, hmac_headers
from tests.webhooks.conftest import MAX_BODY, PUBLIC_URL, SECRET, TOKEN, Receiver

STARTED = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def test_receiver_accepts_a_valid_jwt_and_stores_the_event(receiver: Receiver) -> None:
    body = delivery("9100001", STARTED)
    response = receiver.post(body, receiver.rule.headers(body))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "stored"
    row = next(r for r in receiver.stored() if r["call_id"] == "9100001")
    assert (row["status"], row["auth_method"], row["call_started_at"]) == ("received", "jwt", STARTED)
    assert row["consumed_at"] is None


@pytest.mark.parametrize("case", ["tampered", "wrong_key", "expired", "wrong_url", "bad_hmac", "bad_token", "missing"])
def test_receiver_refuses_unauthentic_deliveries_and_stores_nothing(receiver: Receiver, case: str) -> None:
    body = delivery(f"91009{len(case)}", STARTED)
    rule = receiver.rule
    headers, params = {
        "tampered": (rule.headers(delivery("9100999", STARTED)), {}),
        "wrong_key": (GongWebhookRule(PUBLIC_URL).headers(body), {}),
        "expired": (rule.headers(body, expires_in=-600), {}),
        "wrong_url": (rule.headers(body, webhook_url="https://attacker.example/webhooks/gong"), {}),
        "bad_hmac": (hmac_headers(body, "not-" + SECRET), {}),
        "bad_token": ({}, {"token": TOKEN + "x"}),
        "missing": ({}, {}),
    }[case]
    before = len(receiver.stored())
    response = receiver.post(body, headers, **params)
    assert response.status_code == 401
    assert SECRET not in response.text and TOKEN not in response.text
    assert len(receiver.stored()) == before


def test_receiver_accepts_the_hmac_header_and_the_url_token(receiver: Receiver) -> None:
    signed = delivery("9100002", STARTED)
    tokened = delivery("9100003", STARTED)
    assert receiver.post(signed, hmac_headers(signed, SECRET)).status_code == 200
    assert receiver.post(tokened, token=TOKEN).status_code == 200
    methods = {r["call_id"]: r["auth_method"] for r in receiver.stored()}
    assert (methods["9100002"], methods["9100003"]) == ("hmac", "url_token")


def test_receiver_stores_a_repeated_delivery_once(receiver: Receiver) -> None:
    body = delivery("9100004", STARTED)
    statuses = [receiver.post(body, receiver.rule.headers(body)).json()["status"] for _ in range(3)]
    assert statuses == ["stored", "duplicate", "duplicate"]
    assert [r["call_id"] for r in receiver.stored()].count("9100004") == 1


def test_receiver_acknowledges_test_deliveries_without_storing_them(receiver: Receiver) -> None:
    body = delivery("9100005", STARTED, is_test=True)
    response = receiver.post(body, receiver.rule.headers(body))
    assert response.status_code == 200
    assert "9100005" not in {r["call_id"] for r in receiver.stored()}


def test_receiver_refuses_an_oversized_body_with_413(receiver: Receiver) -> None:
    body = delivery("9100006", STARTED, extra={"padding": "x" * MAX_BODY})
    before = len(receiver.stored())
    response = receiver.post(body, receiver.rule.headers(body))
    assert response.status_code == 413
    assert len(receiver.stored()) == before


def test_receiver_records_an_authentic_but_malformed_delivery(receiver: Receiver) -> None:
    body = b'{"callData": {"parties": []}, "isTest": false}'
    response = receiver.post(body, receiver.rule.headers(body))
    assert response.status_code == 400
    assert "metaData" in response.json()["error"]
    invalid = [r for r in receiver.stored() if r["status"] == "invalid"]
    assert invalid and invalid[-1]["call_id"] is None


def test_receiver_health_answers(receiver: Receiver) -> None:
    response = receiver.client.get("/webhooks/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "auth_methods": ["jwt", "hmac", "url_token"]}
