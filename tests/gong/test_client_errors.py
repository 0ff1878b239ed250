"""Gong's non-retryable answers become typed errors with one clear line each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.gong.errors import (
    GongAuthError,
    GongConfigurationError,
    GongError,
    GongNotFoundError,
    GongRequestError,
    GongResponseError,
)
from coaching_pipeline.settings import Settings
from coaching_sandbox.simulators.gong import RunningGong

WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 10, tzinfo=UTC))


def _mock_client(status: int, body: object) -> GongClient:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    return GongClient("https://gong.test", "k", "s", transport=httpx.MockTransport(reply), max_retries=0)


def test_client_other_404_raises_not_found(make_client: Callable[..., GongClient], gong: RunningGong) -> None:
    client = make_client(base_url=f"{gong.base_url}/wrong-prefix")

    with pytest.raises(GongNotFoundError, match="GET /v2/users") as raised:
        list(client.iter_users())

    assert raised.value.status == 404


def test_client_bad_secret_on_users_raises_auth_error(make_client: Callable[..., GongClient]) -> None:
    client = make_client(access_key_secret="wrong")

    with pytest.raises(GongAuthError, match="GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET") as raised:
        list(client.iter_users())

    assert raised.value.status == 403


def test_client_bad_secret_on_calls_raises_auth_error(make_client: Callable[..., GongClient]) -> None:
    client = make_client(access_key_secret="wrong")

    with pytest.raises(GongAuthError) as raised:
        list(client.iter_calls(*WINDOW))

    assert raised.value.status == 401


def test_client_400_raises_request_error_with_gong_detail() -> None:
    client = _mock_client(400, {"requestId": "abc123", "errors": ["fromDateTime: bad value"]})

    with pytest.raises(GongRequestError, match=r"fromDateTime: bad value \(requestId abc123\)") as raised:
        list(client.iter_calls(*WINDOW))

    assert raised.value.errors == ["fromDateTime: bad value"] and raised.value.request_id == "abc123"


def test_client_404_with_other_message_is_not_empty() -> None:
    client = _mock_client(404, {"requestId": "r", "errors": ["No calls found", "something else"]})

    with pytest.raises(GongNotFoundError):
        list(client.iter_calls(*WINDOW))


def test_client_malformed_page_raises_response_error() -> None:
    client = _mock_client(200, {"requestId": "r", "records": {}, "calls": [{"id": "1"}]})

    with pytest.raises(GongResponseError, match="started"):
        list(client.iter_calls(*WINDOW))


def test_client_errors_share_one_base_class() -> None:
    assert all(issubclass(e, GongError) for e in (GongAuthError, GongNotFoundError, GongResponseError))


def test_client_from_settings_requires_credentials() -> None:
    with pytest.raises(GongConfigurationError, match="GONG_BASE_URL"):
        GongClient.from_settings(Settings(gong_base_url=None, gong_access_key=None))


def test_client_from_settings_talks_to_the_configured_host(gong: RunningGong) -> None:
    settings = Settings(
        gong_base_url=gong.base_url,
        gong_access_key=gong.sim.access_key,
        gong_access_key_secret=gong.sim.access_key_secret,
        gong_requests_per_second=100,
    )

    with GongClient.from_settings(settings) as client:
        assert len(list(client.iter_users())) > 0
