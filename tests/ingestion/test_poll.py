"""Many polls over simulated time, with calls listed late and transcripts ready late: nothing missed or doubled."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.ingestion.cursor import PollCursor
from coaching_pipeline.ingestion.poll import poll_gong
from coaching_pipeline.ingestion.transcripts import ingest_transcripts
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.gong import serve_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user

TZ = ZoneInfo("America/New_York")
TICK = timedelta(minutes=30)


def _late_corpus(seed: int = 5, calls: int = 40) -> TinyCorpus:
    rng = random.Random(seed)
    corpus = TinyCorpus(users=[rep_user()])
    for n in range(calls):
        started = START + timedelta(hours=rng.randint(0, 72), minutes=rng.randint(0, 59))
        call_id = str(8_000_000 + n)
        add_call(corpus, call_id, started)
        corpus.available_at[call_id] = started + timedelta(minutes=rng.randint(5, 300))
        corpus.transcript_ready_at[call_id] = corpus.available_at[call_id] + timedelta(minutes=rng.randint(0, 480))
    return corpus


@pytest.fixture(scope="module")
def polled(isolated_database_url: str):  # type: ignore[no-untyped-def]
    corpus = _late_corpus()
    clock = {"now": START - timedelta(hours=1)}
    new_seen: Counter[str] = Counter()
    ready_seen: Counter[str] = Counter()
    cursor = PollCursor()
    with (
        serve_gong(corpus, clock=lambda: clock["now"], page_size=7, transcript_page_size=7) as gong,
        GongClient(gong.base_url, gong.sim.access_key, gong.sim.access_key_secret, requests_per_second=1000) as client,
    ):
        end = max(corpus.transcript_ready_at.values()) + TICK * 2
        while clock["now"] < end:
            result = poll_gong(
                isolated_database_url,
                client,
                cursor,
                now=clock["now"],
                start=START - timedelta(days=1),
                tz=TZ,
            )
            cursor = result.cursor
            new_seen.update(i for ids in result.new_calls.values() for i in ids)
            ready_seen.update(i for ids in result.transcripts_ready.values() for i in ids)
            for day in result.partitions():
                ingest_transcripts(isolated_database_url, client, day, day + timedelta(days=1), TZ)
            clock["now"] += TICK
    return corpus, new_seen, ready_seen


def test_poll_gong_sees_every_call_exactly_once(polled) -> None:  # type: ignore[no-untyped-def]
    corpus, new_seen, _ = polled
    assert set(new_seen) == set(corpus.available_at)
    assert max(new_seen.values()) == 1


def test_poll_gong_picks_up_late_transcripts_once(polled) -> None:  # type: ignore[no-untyped-def]
    _, _, ready_seen = polled
    assert ready_seen, "some transcripts must arrive after their call was first listed"
    assert max(ready_seen.values()) == 1


def test_poll_gong_leaves_no_call_without_transcript(polled, isolated_database_url: str) -> None:  # type: ignore[no-untyped-def]
    corpus, _, _ = polled
    with connect(isolated_database_url) as conn:
        statuses = Counter(r["transcript_status"] for r in conn.execute("select transcript_status from raw.calls"))
        transcripts = conn.execute("select count(*) as n from raw.transcripts").fetchone()["n"]
    assert statuses == {"ready": len(corpus.calls)}
    assert transcripts == len(corpus.calls)


def test_poll_gong_call_dates_follow_the_configured_timezone(polled, isolated_database_url: str) -> None:  # type: ignore[no-untyped-def]
    with connect(isolated_database_url) as conn:
        rows = conn.execute("select call_date, started_at from raw.calls").fetchall()
    assert all(r["call_date"] == r["started_at"].astimezone(TZ).date() for r in rows)
    assert isinstance(rows[0]["started_at"], datetime) and rows[0]["started_at"].tzinfo is not None
