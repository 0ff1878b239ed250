"""The simulator's replies and the client's requests conform to Gong's published OpenAPI spec."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from coaching_pipeline.gong.client import GongClient
from coaching_sandbox.simulators.gong import RunningGong, serve_gong
from tests.gong.factories import LATE, build_corpus

SPEC_RELATIVE = Path("shared", "reference", "gong-openapi.json")
WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 10, tzinfo=UTC))


def _spec_path() -> Path | None:
    """GONG_OPENAPI_SPEC, else the reference copy found by walking up from this file."""
    configured = os.environ.get("GONG_OPENAPI_SPEC")
    if configured:
        return Path(configured)
    for parent in Path(__file__).resolve().parents:
        if (parent / SPEC_RELATIVE).is_file():
            return parent / SPEC_RELATIVE
    return None


class OpenAPIRequest:
    """openapi-core's request protocol over an httpx.Request."""

    def __init__(self, request: httpx.Request) -> None:
        self._request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return f"{self._request.url.scheme}://{self._request.url.netloc.decode()}"

    @property
    def path(self) -> str:
        return self._request.url.path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "")


class OpenAPIResponse:
    """openapi-core's response protocol over an httpx.Response."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return self._response.headers.get("content-type", "")

    @property
    def headers(self) -> Headers:
        return Headers(list(self._response.headers.items()))

    @property
    def data(self) -> bytes:
        return self._response.content


class RecordingTransport(httpx.BaseTransport):
    """Real HTTP, keeping every exchange for validation."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        response.read()
        self.exchanges.append((request, response))
        return response

    def close(self) -> None:
        self._inner.close()


@pytest.fixture(scope="module")
def gong() -> Iterator[RunningGong]:
    with serve_gong(build_corpus(), page_size=10, transcript_page_size=10, clock=lambda: LATE) as running:
        yield running


@pytest.fixture(scope="module")
def openapi(gong: RunningGong) -> OpenAPI:
    path = _spec_path()
    if path is None or not path.is_file():
        message = "Gong's OpenAPI spec not found: set GONG_OPENAPI_SPEC to gong-openapi.json"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must validate the simulator against the spec)")
        pytest.skip(message)
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": gong.base_url}]
    return OpenAPI.from_dict(spec)


@pytest.fixture
def recorder(gong: RunningGong) -> Iterator[RecordingTransport]:
    gong.sim.reset()
    transport = RecordingTransport()
    yield transport
    transport.close()


def _client(gong: RunningGong, transport: RecordingTransport, secret: str | None = None) -> GongClient:
    return GongClient(
        gong.base_url,
        gong.sim.access_key,
        secret or gong.sim.access_key_secret,
        requests_per_second=100,
        max_retries=2,
        backoff_base=0.01,
        backoff_cap=0.01,
        transport=transport,
        sleep=lambda _: None,
    )


def _validate(openapi: OpenAPI, transport: RecordingTransport, status: int) -> None:
    """Validate every recorded request and response; at least one response must have `status`."""
    assert status in {r.status_code for _, r in transport.exchanges}
    for request, response in transport.exchanges:
        openapi.validate_request(OpenAPIRequest(request))
        openapi.validate_response(OpenAPIRequest(request), OpenAPIResponse(response))


def test_gong_openapi_users_conform(openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport) -> None:
    with _client(gong, recorder) as client:
        assert list(client.iter_users())

    _validate(openapi, recorder, 200)


def test_gong_openapi_calls_conform(openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport) -> None:
    with _client(gong, recorder) as client:
        assert list(client.iter_calls(*WINDOW))

    _validate(openapi, recorder, 200)


def test_gong_openapi_extensive_conforms(openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport) -> None:
    with _client(gong, recorder) as client:
        calls = list(client.iter_extensive_calls(from_dt=WINDOW[0], to_dt=WINDOW[1]))
    assert calls and calls[-1].interaction is not None

    _validate(openapi, recorder, 200)


def test_gong_openapi_transcripts_conform(openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport) -> None:
    with _client(gong, recorder) as client:
        assert client.fetch_transcripts(gong.sim.corpus.transcripts)

    _validate(openapi, recorder, 200)


def test_gong_openapi_empty_result_404_conforms(
    openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport
) -> None:
    with _client(gong, recorder) as client:
        assert list(client.iter_calls(datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 1, 2, tzinfo=UTC))) == []

    _validate(openapi, recorder, 404)


def test_gong_openapi_429_conforms(openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport) -> None:
    gong.sim.faults.rate_limited, gong.sim.faults.retry_after = 1, 2
    with _client(gong, recorder) as client:
        list(client.iter_users())

    _validate(openapi, recorder, 429)
    assert recorder.exchanges[0][1].headers["Retry-After"] == "2"


def test_gong_openapi_auth_failure_conforms(openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport) -> None:
    with _client(gong, recorder, secret="wrong") as client, pytest.raises(Exception, match="GONG_ACCESS_KEY"):
        list(client.iter_calls(*WINDOW))

    _validate(openapi, recorder, 401)


def test_gong_openapi_empty_call_ids_400_conforms(
    openapi: OpenAPI, gong: RunningGong, recorder: RecordingTransport
) -> None:
    with httpx.Client(transport=recorder, auth=(gong.sim.access_key, gong.sim.access_key_secret)) as http:
        http.post(f"{gong.base_url}/v2/calls/transcript", json={"filter": {"callIds": []}})

    _validate(openapi, recorder, 400)
