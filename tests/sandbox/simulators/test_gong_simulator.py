"""The Gong simulator behaves like Gong on the wire: auth, paging, visibility over time, faults, limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from coaching_sandbox.simulators.gong import RunningGong, serve_gong
from tests.gong.factories import CALL_COUNT, LATE, SmallCorpus, build_corpus

PAGE_SIZE = 10
FULL = {"fromDateTime": "2026-08-01T00:00:00Z", "toDateTime": "2026-08-10T00:00:00Z"}
EVERYTHING: dict[str, Any] = {
    "parties": True,
    "content": {"topics": True, "trackers": True, "brief": True},
    "interaction": {"speakers": True, "personInteractionStats": True, "questions": True},
}


@pytest.fixture(scope="module")
def corpus() -> SmallCorpus:
    return build_corpus()


@pytest.fixture(scope="module")
def running(corpus: SmallCorpus) -> Iterator[RunningGong]:
    with serve_gong(corpus, page_size=PAGE_SIZE, transcript_page_size=PAGE_SIZE) as gong:
        yield gong


@pytest.fixture
def gong(running: RunningGong) -> RunningGong:
    running.sim.reset()
    running.sim.requests_per_second = None
    running.sim.clock = lambda: LATE
    return running


@pytest.fixture
def http(gong: RunningGong) -> Iterator[httpx.Client]:
    auth = (gong.sim.access_key, gong.sim.access_key_secret)
    with httpx.Client(base_url=gong.base_url, auth=auth, timeout=5) as client:
        yield client


def _ids(body: dict[str, Any], key: str = "calls") -> list[str]:
    return [c["metaData"]["id"] if "metaData" in c else c.get("id") or c["callId"] for c in body[key]]


def test_gong_simulator_requires_basic_auth(gong: RunningGong) -> None:
    response = httpx.get(f"{gong.base_url}/v2/calls", params=FULL)

    assert response.status_code == 401 and response.json()["errors"]


def test_gong_simulator_users_answer_bad_credentials_with_403(gong: RunningGong) -> None:
    response = httpx.get(f"{gong.base_url}/v2/users", auth=("sim-access-key", "wrong"))

    assert response.status_code == 403


def test_gong_simulator_records_describe_each_page(http: httpx.Client) -> None:
    first = http.get("/v2/calls", params=FULL).json()
    last = http.get("/v2/calls", params={**FULL, "cursor": first["records"]["cursor"]})
    last = http.get("/v2/calls", params={**FULL, "cursor": last.json()["records"]["cursor"]}).json()

    assert first["records"] == {
        "totalRecords": CALL_COUNT,
        "currentPageSize": PAGE_SIZE,
        "currentPageNumber": 0,
        "cursor": first["records"]["cursor"],
    }
    assert last["records"]["currentPageNumber"] == 2 and "cursor" not in last["records"]
    assert last["records"]["currentPageSize"] == CALL_COUNT - 2 * PAGE_SIZE


def test_gong_simulator_every_reply_has_a_request_id(http: httpx.Client) -> None:
    replies = [
        http.get("/v2/users"),
        http.get("/v2/calls", params={"fromDateTime": "2020-01-01T00:00:00Z", "toDateTime": "2020-01-02T00:00:00Z"}),
        http.get("/v2/nowhere"),
    ]

    assert [r.status_code for r in replies] == [200, 404, 404]
    assert all(r.json()["requestId"] for r in replies)


def test_gong_simulator_empty_result_is_gong_404(http: httpx.Client) -> None:
    response = http.post("/v2/calls/transcript", json={"filter": {"callIds": ["123"]}})

    assert response.status_code == 404
    assert response.json()["errors"] == ["No calls found corresponding to the provided filters"]


def test_gong_simulator_rejects_empty_call_ids(http: httpx.Client) -> None:
    response = http.post("/v2/calls/transcript", json={"filter": {"callIds": []}})

    assert response.status_code == 400
    assert "must not be empty but can be null or can be omitted" in response.json()["errors"][0]


def test_gong_simulator_post_ignores_cursor_in_query_string(http: httpx.Client) -> None:
    body = {"filter": FULL, "contentSelector": {"exposedFields": EVERYTHING}}
    first = http.post("/v2/calls/extensive", json=body).json()

    again = http.post("/v2/calls/extensive", json=body, params={"cursor": first["records"]["cursor"]}).json()
    second = http.post("/v2/calls/extensive", json={**body, "cursor": first["records"]["cursor"]}).json()

    assert _ids(again) == _ids(first)
    assert second["records"]["currentPageNumber"] == 1 and _ids(second) != _ids(first)


def test_gong_simulator_cursor_is_bound_to_its_filters(http: httpx.Client) -> None:
    cursor = http.get("/v2/calls", params=FULL).json()["records"]["cursor"]

    response = http.get("/v2/calls", params={**FULL, "toDateTime": "2026-08-09T00:00:00Z", "cursor": cursor})

    assert response.status_code == 400


def test_gong_simulator_expires_the_next_cursor_on_request(gong: RunningGong, http: httpx.Client) -> None:
    cursor = http.get("/v2/calls", params=FULL).json()["records"]["cursor"]
    gong.sim.faults.expire_next_cursor = True

    expired = http.get("/v2/calls", params={**FULL, "cursor": cursor})
    retried = http.get("/v2/calls", params={**FULL, "cursor": cursor})

    assert expired.status_code == 400 and "cursor has expired" in expired.json()["errors"][0]
    assert retried.status_code == 200


def test_gong_simulator_lists_a_call_only_once_available(
    gong: RunningGong, http: httpx.Client, corpus: SmallCorpus
) -> None:
    call_id = corpus.call_ids()[0]
    available = corpus.available_at[call_id]
    gong.sim.clock = lambda: available - timedelta(seconds=1)
    before = http.get("/v2/calls", params=FULL)
    gong.sim.clock = lambda: available

    after = http.get("/v2/calls", params=FULL)

    assert before.status_code == 404
    assert _ids(after.json()) == [call_id]


def test_gong_simulator_returns_a_transcript_only_once_ready(
    gong: RunningGong, http: httpx.Client, corpus: SmallCorpus
) -> None:
    call_id = corpus.call_ids()[5]
    ready = corpus.transcript_ready_at[call_id]
    body = {"filter": {"callIds": [call_id]}}
    gong.sim.clock = lambda: ready - timedelta(seconds=1)
    before = http.post("/v2/calls/transcript", json=body)
    gong.sim.clock = lambda: ready

    after = http.post("/v2/calls/transcript", json=body)

    assert before.status_code == 404
    assert after.json()["callTranscripts"][0]["callId"] == call_id


def test_gong_simulator_can_ignore_transcript_delays(
    gong: RunningGong, http: httpx.Client, corpus: SmallCorpus
) -> None:
    call_id = corpus.call_ids()[5]
    gong.sim.clock = lambda: corpus.available_at[call_id]
    gong.sim.faults.transcripts_delayed = False

    response = http.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}})

    assert response.status_code == 200


def test_gong_simulator_honours_the_content_selector(http: httpx.Client) -> None:
    bare = http.post("/v2/calls/extensive", json={"filter": FULL}).json()["calls"][0]
    full = http.post(
        "/v2/calls/extensive", json={"filter": FULL, "contentSelector": {"exposedFields": EVERYTHING}}
    ).json()["calls"][5]

    assert set(bare) == {"metaData"}
    assert set(full) == {"metaData", "parties", "content", "interaction"}
    assert "occurrences" not in full["content"]["trackers"][0]


def test_gong_simulator_derives_interaction_from_the_transcript(http: httpx.Client, corpus: SmallCorpus) -> None:
    body = {"filter": {"callIds": [corpus.call_ids()[5]]}, "contentSelector": {"exposedFields": EVERYTHING}}

    interaction = http.post("/v2/calls/extensive", json=body).json()["calls"][0]["interaction"]

    assert {s["id"]: s["talkTime"] for s in interaction["speakers"]} == {"51": 6.5, "52": 7.5}
    assert interaction["questions"] == {"companyCount": 1, "nonCompanyCount": 0}


def test_gong_simulator_injects_server_errors_with_the_chosen_status(gong: RunningGong, http: httpx.Client) -> None:
    gong.sim.faults.server_errors, gong.sim.faults.server_error_status = 2, 503

    statuses = [http.get("/v2/users").status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert [e.status for e in gong.sim.request_log] == statuses


def test_gong_simulator_injected_429_can_omit_retry_after(gong: RunningGong, http: httpx.Client) -> None:
    gong.sim.faults.rate_limited, gong.sim.faults.retry_after = 1, None

    response = http.get("/v2/users")

    assert response.status_code == 429 and "retry-after" not in response.headers


def test_gong_simulator_rate_limits_bursts(gong: RunningGong, http: httpx.Client) -> None:
    gong.sim.requests_per_second = 2

    responses = [http.get("/v2/users") for _ in range(5)]

    limited = [r for r in responses if r.status_code == 429]
    assert limited and all(int(r.headers["Retry-After"]) >= 1 for r in limited)


def test_gong_simulator_command_serves_the_generated_corpus(
    monkeypatch: pytest.MonkeyPatch, corpus: SmallCorpus
) -> None:
    import uvicorn

    from coaching_sandbox.corpus import generate
    from coaching_sandbox.simulators import gong

    served: dict[str, Any] = {}
    monkeypatch.setattr(generate, "generate_corpus", lambda seed, calls=None: corpus)
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, log_level: served.update(app=app, port=port))

    gong.main(["--port", "8499", "--seed", "7", "--now", "2030-01-01T00:00:00Z"])

    with TestClient(served["app"]) as http:
        reply = http.get("/v2/calls", params=FULL, auth=("sim-access-key", "sim-secret"))
    assert served["port"] == 8499 and reply.json()["records"]["totalRecords"] == CALL_COUNT
