"""Retries: 429 honours Retry-After, 5xx and timeouts back off with jitter, expired cursors restart once."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice

import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.gong.errors import GongUnavailableError
from coaching_sandbox.simulators.gong import RunningGong
from tests.gong.conftest import SleepRecorder
from tests.gong.factories import CALL_COUNT, SmallCorpus

WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 10, tzinfo=UTC))


def test_client_429_honours_retry_after(client: GongClient, gong: RunningGong, sleeps: SleepRecorder) -> None:
    gong.sim.faults.rate_limited, gong.sim.faults.retry_after = 1, 7

    users = list(client.iter_users())

    assert len(users) == len(gong.sim.corpus.users)
    assert sleeps.delays == [7.0]


def test_client_429_without_retry_after_backs_off(
    make_client: Callable[..., GongClient], gong: RunningGong, sleeps: SleepRecorder
) -> None:
    client = make_client(backoff_base=0.2, backoff_cap=10.0)
    gong.sim.faults.rate_limited, gong.sim.faults.retry_after = 2, None

    list(client.iter_users())

    assert len(sleeps.delays) == 2
    assert 0 <= sleeps.delays[0] <= 0.2 and 0 <= sleeps.delays[1] <= 0.4


def test_client_recovers_from_a_5xx_burst(client: GongClient, gong: RunningGong, corpus: SmallCorpus) -> None:
    gong.sim.faults.server_errors, gong.sim.faults.server_error_status = 3, 502

    calls = list(client.iter_calls(*WINDOW))

    assert [c.id for c in calls] == corpus.call_ids()
    assert [e.status for e in gong.sim.request_log[:4]] == [502, 502, 502, 200]


def test_client_backoff_is_capped(
    make_client: Callable[..., GongClient], gong: RunningGong, sleeps: SleepRecorder
) -> None:
    client = make_client(max_retries=6, backoff_base=1.0, backoff_cap=0.05)
    gong.sim.faults.server_errors = 6

    list(client.iter_users())

    assert len(sleeps.delays) == 6 and max(sleeps.delays) <= 0.05


def test_client_gives_up_after_the_retry_budget(client: GongClient, gong: RunningGong) -> None:
    gong.sim.faults.server_errors, gong.sim.faults.server_error_status = 10, 503

    with pytest.raises(GongUnavailableError, match=r"GET /v2/calls failed 4 attempts, last status 503"):
        list(client.iter_calls(*WINDOW))

    assert len(gong.sim.request_log) == 4


def test_client_yields_nothing_from_a_page_that_failed(client: GongClient, gong: RunningGong) -> None:
    seen: list[str] = []
    calls = client.iter_calls(*WINDOW)
    seen.extend(c.id for c in islice(calls, 4))
    gong.sim.faults.server_errors = 10

    with pytest.raises(GongUnavailableError):
        seen.extend(c.id for c in calls)

    assert len(seen) == 4


def test_client_retries_timeouts(
    make_client: Callable[..., GongClient], gong: RunningGong, sleeps: SleepRecorder
) -> None:
    client = make_client(timeout=0.2)
    gong.sim.faults.slow_seconds = 0.5
    sleeps.on_sleep = lambda _: setattr(gong.sim.faults, "slow_seconds", 0.0)

    users = list(client.iter_users())

    assert len(users) == len(gong.sim.corpus.users)
    assert len(sleeps.delays) == 1


def test_client_gives_up_on_repeated_timeouts(make_client: Callable[..., GongClient], gong: RunningGong) -> None:
    client = make_client(timeout=0.1, max_retries=1)
    gong.sim.faults.slow_seconds = 0.3

    with pytest.raises(GongUnavailableError, match="failed 2 attempts, last status ReadTimeout"):
        list(client.iter_users())


def test_client_restarts_listing_once_when_cursor_expires(
    client: GongClient, gong: RunningGong, corpus: SmallCorpus
) -> None:
    gong.sim.faults.expire_next_cursor = True

    calls = [c.id for c in client.iter_calls(*WINDOW)]

    assert calls == corpus.call_ids()
    statuses = [e.status for e in gong.sim.request_log]
    assert statuses.count(400) == 1 and len(statuses) == 2 + -(-CALL_COUNT // 4)


def test_client_restarts_post_listing_when_cursor_expires(
    client: GongClient, gong: RunningGong, corpus: SmallCorpus
) -> None:
    gong.sim.faults.expire_next_cursor = True

    transcripts = client.fetch_transcripts(corpus.call_ids())

    assert set(transcripts) == set(corpus.transcripts)


def test_client_retries_connection_errors_then_gives_up(make_client: Callable[..., GongClient]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{closed_port}", max_retries=2)

    with pytest.raises(GongUnavailableError, match="GET /v2/users failed 3 attempts, last status ConnectError"):
        list(client.iter_users())
