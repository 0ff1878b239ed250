"""One Gong simulator over a small corpus for the whole session; each test gets it reset, and fast clients."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_sandbox.simulators.gong import GongSimulator, RunningGong, serve_gong
from tests.gong.factories import LATE, SmallCorpus, build_corpus

PAGE_SIZE = 4
TRANSCRIPT_PAGE_SIZE = 3


class SleepRecorder:
    """Stands in for time.sleep in retries: records the delays the client chose, waits for none of them."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.on_sleep: Callable[[float], None] | None = None

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self.on_sleep:
            self.on_sleep(seconds)


@pytest.fixture(scope="session")
def corpus() -> SmallCorpus:
    return build_corpus()


@pytest.fixture(scope="session")
def running_gong(corpus: SmallCorpus) -> Iterator[RunningGong]:
    with serve_gong(corpus, page_size=PAGE_SIZE, transcript_page_size=TRANSCRIPT_PAGE_SIZE) as running:
        yield running


@pytest.fixture
def gong(running_gong: RunningGong) -> Iterator[RunningGong]:
    """The shared simulator, reset: no faults, empty log, every call listed and transcribed."""
    sim = running_gong.sim
    sim.reset()
    sim.page_size, sim.transcript_page_size, sim.requests_per_second = PAGE_SIZE, TRANSCRIPT_PAGE_SIZE, None
    sim.clock = lambda: LATE
    yield running_gong
    _drain(sim)


def _drain(sim: GongSimulator, limit: float = 5.0) -> None:
    """Let requests a client abandoned (timeouts) finish, so they cannot land in the next test's log."""
    deadline = time.monotonic() + limit
    while sim.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(gong: RunningGong, sleeps: SleepRecorder) -> Iterator[Callable[..., GongClient]]:
    """Clients against the simulator with test-sized limits; keyword arguments override them."""
    clients: list[GongClient] = []

    def make(**overrides: Any) -> GongClient:
        kwargs: dict[str, Any] = {
            "requests_per_second": 200.0,
            "max_retries": 3,
            "timeout": 5.0,
            "backoff_base": 0.01,
            "backoff_cap": 0.05,
            "sleep": sleeps,
        }
        kwargs.update(overrides)
        base_url = kwargs.pop("base_url", gong.base_url)
        secret = kwargs.pop("access_key_secret", gong.sim.access_key_secret)
        client = GongClient(base_url, gong.sim.access_key, secret, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., GongClient]) -> GongClient:
    return make_client()
