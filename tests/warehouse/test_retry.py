"""Opening a Postgres connection is retried, with capped doubling delays, while the server is down."""

from __future__ import annotations

import socket

import psycopg
import pytest

from coaching_pipeline.warehouse.retry import MAX_DELAY_SECONDS, RetryRecord, is_transient, retry_transient


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://postgres@127.0.0.1:{port}/postgres?connect_timeout=2"


def test_retry_transient_waits_with_doubling_delays_until_the_server_answers() -> None:
    fake, record, outcomes = FakeTime(), RetryRecord(), iter([False, False, False, True])

    def attempt() -> str:
        if not next(outcomes):
            raise psycopg.OperationalError("connection failed: Connection refused")
        return "connected"

    assert retry_transient(attempt, budget_seconds=30, record=record, sleep=fake.sleep, clock=lambda: fake.now) == (
        "connected"
    )
    assert fake.sleeps == [0.25, 0.5, 1.0]
    assert record.attempts == 4 and record.retried and record.errors[-1].endswith("Connection refused")


def test_retry_transient_gives_up_with_the_last_error_when_the_budget_is_spent() -> None:
    fake = FakeTime()
    with pytest.raises(psycopg.OperationalError, match="refused"):
        retry_transient(
            lambda: psycopg.connect(_closed_port_url()), budget_seconds=12, sleep=fake.sleep, clock=lambda: fake.now
        )
    assert sum(fake.sleeps) == pytest.approx(12)
    assert max(fake.sleeps) <= MAX_DELAY_SECONDS


def test_retry_transient_does_not_retry_what_waiting_cannot_fix() -> None:
    fake = FakeTime()

    def attempt() -> None:
        raise psycopg.OperationalError('FATAL:  database "nope" does not exist')

    with pytest.raises(psycopg.OperationalError):
        retry_transient(attempt, budget_seconds=30, sleep=fake.sleep, clock=lambda: fake.now)
    assert fake.sleeps == []
    assert not is_transient(ValueError("not a connection error"))
