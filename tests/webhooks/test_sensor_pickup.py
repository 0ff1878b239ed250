"""A stored delivery becomes a run for the call's day on the next gong_calls_sensor tick, handed off once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest

from coaching_pipeline.ingestion.cursor import PollCursor
from coaching_pipeline.ingestion.webhook_events import WebhookCall, webhook_partitions
from coaching_pipeline.runner.runs import evaluate_sensor
from coaching_pipeline.settings import get_settings
from coaching_sandbox.simulators.gong import serve_gong
from coaching_sandbox.simulators.gong_webhooks import delivery
from tests.ingestion.gong_shapes import TinyCorpus, rep_user
from tests.webhooks.conftest import Receiver

PACIFIC = timezone(timedelta(hours=-8))
STARTED = datetime(2026, 11, 20, 18, 30, tzinfo=PACIFIC)  # 2026-11-21 02:30 UTC: the day follows COACHING_TIMEZONE


@pytest.fixture(scope="module")
def sensor_env(receiver: Receiver) -> Iterator[tuple[dg.Definitions, dg.DagsterInstance]]:
    """The code location's own sensor against an empty Gong tenant and the receiver's warehouse."""
    from coaching_pipeline.definitions import defs

    with serve_gong(TinyCorpus(users=[rep_user()])) as gong, pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", receiver.database_url)
        env.setenv("GONG_BASE_URL", gong.base_url)
        env.setenv("GONG_ACCESS_KEY", gong.sim.access_key)
        env.setenv("GONG_ACCESS_KEY_SECRET", gong.sim.access_key_secret)
        get_settings.cache_clear()
        yield defs, dg.DagsterInstance.ephemeral()
    get_settings.cache_clear()


def _requests(result: dg.SensorResult | dg.SkipReason) -> list[dg.RunRequest]:
    return list(result.run_requests or []) if isinstance(result, dg.SensorResult) else []


def test_webhook_partitions_group_calls_by_their_local_day() -> None:
    events = [
        WebhookCall(event_id=1, call_id="b", call_started_at=STARTED),
        WebhookCall(event_id=2, call_id="a", call_started_at=STARTED + timedelta(hours=1)),
        WebhookCall(event_id=3, call_id="old", call_started_at=datetime(2020, 1, 1, tzinfo=PACIFIC)),
    ]
    days = webhook_partitions(events, PACIFIC, first_day=STARTED.date() - timedelta(days=30))
    assert days == {STARTED.date(): ["a", "b"]}


def test_next_sensor_tick_requests_the_calls_day_once(receiver: Receiver, sensor_env) -> None:  # type: ignore[no-untyped-def]
    defs, instance = sensor_env
    body = delivery("9200001", STARTED)
    assert receiver.post(body, receiver.rule.headers(body)).status_code == 200

    first, cursor = evaluate_sensor(defs, instance, None)
    assert [(r.partition_key, r.tags["coaching/calls"]) for r in _requests(first)] == [("2026-11-21", "1")]

    lost_tick_replayed, _ = evaluate_sensor(defs, instance, None)
    assert [r.run_key for r in _requests(lost_tick_replayed)] == [r.run_key for r in _requests(first)]

    second, cursor = evaluate_sensor(defs, instance, cursor)
    assert _requests(second) == []
    consumed = [r["consumed_at"] for r in receiver.stored() if r["call_id"] == "9200001"]
    assert len(consumed) == 1 and consumed[0] is not None
    assert PollCursor.from_json(cursor).webhook_events == []
