"""Gong down for hours (5xx, 429 with a long Retry-After, refused connections): the real sensor, ticked on a
fake clock, backs off, says until when, records each back-off once, and catches up with no call missed."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.defs import ingest
from coaching_pipeline.defs.resources import GongResource, WarehouseResource
from coaching_pipeline.defs.sensors import build_gong_calls_sensor
from coaching_pipeline.ingestion.cursor import PollCursor
from coaching_pipeline.ingestion.poll import run_key
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.gong import serve_gong
from tests.conftest import DatabaseFactory
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user

DAY = START.date()
FIRST_BACKOFF, CAP = timedelta(minutes=5), timedelta(hours=1)  # GONG_BACKOFF_SECONDS, GONG_BACKOFF_MAX_SECONDS
TICK = timedelta(minutes=5)  # the sensor's minimum interval


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _corpus() -> TinyCorpus:
    """Six calls of one day; the last four are listed by Gong only while it is down for us."""
    corpus = TinyCorpus(users=[rep_user()])
    for n in range(6):
        call_id = str(9300 + n)
        add_call(corpus, call_id, START + timedelta(minutes=20 * n))
        corpus.available_at[call_id] = START + timedelta(minutes=20 * n + (10 if n < 2 else 90))
    return corpus


def _gong(base_url: str, *, max_retries: int = 0) -> GongResource:
    return GongResource(
        base_url=base_url,
        access_key="sim-access-key",
        access_key_secret="sim-secret",
        requests_per_second=1000,
        max_retries=max_retries,
    )


class Ticker:
    """Evaluates the real gong_calls_sensor tick after tick, carrying its cursor as Dagster does."""

    def __init__(self, resources: dict[str, Any], clock: Clock) -> None:
        job = dg.define_asset_job("ingest_job", selection=[ingest.raw_transcripts])
        self.sensor = build_gong_calls_sensor(job, clock=clock)
        self.instance = dg.DagsterInstance.ephemeral()
        self.resources, self.clock, self.cursor = resources, clock, None
        self.requested: list[dg.RunRequest] = []

    def tick(self, cursor: str | None = None) -> tuple[list[dg.RunRequest], str | None]:
        context = dg.build_sensor_context(
            instance=self.instance, cursor=cursor or self.cursor, resources=self.resources
        )
        result = self.sensor(context)
        if isinstance(result, dg.SensorResult):
            self.cursor = result.cursor or self.cursor
            self.requested += result.run_requests or []
            skip = result.skip_reason
            return list(result.run_requests or []), skip.skip_message if skip else None
        return [], result.skip_message

    @property
    def backoff(self):  # type: ignore[no-untyped-def]
        return PollCursor.from_json(self.cursor).backoff


def _backoff_events(url: str) -> list[dict[str, Any]]:
    with connect(url) as conn:
        rows = conn.execute(
            "select detail from coaching.pipeline_events where kind = 'gong_backoff' order by event_id"
        ).fetchall()
    return [r["detail"] for r in rows]


def _requested_calls(requests: list[dg.RunRequest], ids: list[str]) -> bool:
    return [r.run_key for r in requests] == [run_key(DAY, ids)]


@pytest.fixture
def url(database_factory: DatabaseFactory) -> str:
    return database_factory.create("gong_outage")


def test_gong_calls_sensor_backs_off_through_an_outage_and_catches_up_with_no_call_missed(url: str) -> None:
    clock = Clock(START + timedelta(minutes=30))
    with serve_gong(_corpus(), clock=clock) as gong:
        ticker = Ticker({"warehouse": WarehouseResource(database_url=url), "gong": _gong(gong.base_url)}, clock)
        first, _ = ticker.tick()
        assert _requested_calls(first, ["9300", "9301"])

        gong.sim.faults.outage_status = 503
        clock.now += TICK
        failed_from = ticker.cursor
        runs, why = ticker.tick()
        assert runs == [] and why is not None and f"until {(clock.now + FIRST_BACKOFF).isoformat()}" in why
        ticker.tick(failed_from)  # Dagster evaluating the same tick again records no second back-off
        assert len(_backoff_events(url)) == 1

        waits = []
        for _ in range(7):  # five hours down
            until = ticker.backoff.until
            clock.now, sent = until - TICK, len(gong.sim.request_log)
            runs, why = ticker.tick()
            assert runs == [] and why is not None and f"until {until.isoformat()}" in why
            assert len(gong.sim.request_log) == sent, "no request to Gong while backing off"
            clock.now = until
            runs, why = ticker.tick()
            assert runs == [] and why is not None and "backing off until" in why
            waits.append(ticker.backoff.until - clock.now)
        assert waits == [FIRST_BACKOFF * 2, FIRST_BACKOFF * 4, FIRST_BACKOFF * 8] + [CAP] * 4
        events = _backoff_events(url)
        assert len(events) == 1 + len(waits)
        assert events[-1]["status"] == "503" and events[-1]["failures"] == 1 + len(waits)

        gong.sim.faults.outage_status = None
        clock.now = ticker.backoff.until
        recovered, why = ticker.tick()
    assert why is None and ticker.backoff is None
    # The four calls Gong listed during the outage, and the first two again: their run was requested but,
    # in this test, never executed, so their transcripts still wait.
    assert _requested_calls(recovered, [str(9300 + n) for n in range(6)])


def test_gong_calls_sensor_honours_a_long_retry_after_without_blocking_the_tick(url: str) -> None:
    clock = Clock(START + timedelta(hours=4))
    with serve_gong(_corpus(), clock=clock) as gong:
        gong.sim.faults.outage_status, gong.sim.faults.retry_after = 429, 7200  # Gong's daily limit
        resources = {"warehouse": WarehouseResource(database_url=url), "gong": _gong(gong.base_url, max_retries=5)}
        ticker = Ticker(resources, clock)
        runs, why = ticker.tick()
        assert len(gong.sim.request_log) == 1, "a Retry-After past the client's limit is not slept on"
        assert runs == [] and why is not None and f"until {(clock.now + timedelta(hours=2)).isoformat()}" in why
        assert _backoff_events(url)[0]["retry_after_seconds"] == 7200

        clock.now += timedelta(hours=1)
        assert ticker.tick()[0] == [] and len(gong.sim.request_log) == 1

        gong.sim.faults.outage_status = None
        clock.now += timedelta(hours=1)
        recovered, _ = ticker.tick()
    assert _requested_calls(recovered, [str(9300 + n) for n in range(6)])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gong_calls_sensor_backs_off_while_the_connection_is_refused(url: str) -> None:
    clock = Clock(START + timedelta(hours=4))
    port = _free_port()
    gong = _gong(f"http://127.0.0.1:{port}")
    ticker = Ticker({"warehouse": WarehouseResource(database_url=url), "gong": gong}, clock)
    runs, why = ticker.tick()
    assert runs == [] and why is not None and "ConnectError" in why
    assert _backoff_events(url)[0]["error"] == "GongUnavailableError"

    with serve_gong(_corpus(), clock=clock, port=port):
        clock.now = ticker.backoff.until
        recovered, _ = ticker.tick()
    assert _requested_calls(recovered, [str(9300 + n) for n in range(6)])


def test_gong_calls_sensor_requests_calls_a_failed_tick_had_already_recorded(url: str) -> None:
    clock = Clock(START + timedelta(minutes=30))
    with serve_gong(_corpus(), clock=clock) as gong:
        ticker = Ticker({"warehouse": WarehouseResource(database_url=url), "gong": _gong(gong.base_url)}, clock)
        assert _requested_calls(ticker.tick()[0], ["9300", "9301"])

        # Listing works, transcripts do not: the tick records the new calls, then fails probing the old ones.
        gong.sim.faults.outage_status, gong.sim.faults.outage_paths = 503, ("/v2/calls/transcript",)
        clock.now = START + timedelta(hours=4)
        runs, why = ticker.tick()
        assert runs == [] and why is not None and "/v2/calls/transcript" in why
        with connect(url) as conn:
            assert conn.execute("select count(*) as n from raw.calls").fetchone()["n"] == 6

        gong.sim.faults.outage_status = None
        clock.now = ticker.backoff.until
        recovered, _ = ticker.tick()
    assert _requested_calls(recovered, [str(9300 + n) for n in range(6)])
