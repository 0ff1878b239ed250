"""Malformed Gong payloads are recorded with a reason and never stop the rest of the partition."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.ingestion.calls import record_calls
from coaching_pipeline.ingestion.transcripts import ingest_transcripts
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.gong import serve_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user


@pytest.fixture(scope="module")
def outcome(isolated_database_url: str):  # type: ignore[no-untyped-def]
    corpus = TinyCorpus(users=[rep_user()])
    add_call(corpus, "9001", START)
    add_call(
        corpus,
        "9002",
        START + timedelta(hours=1),
        parties=[{"id": "1", "name": "Nobody", "affiliation": "External"}],
    )
    add_call(
        corpus,
        "9003",
        START + timedelta(hours=2),
        transcript=[
            {
                "speakerId": "123456",
                "topic": None,
                "sentences": [{"start": 0, "end": 900, "text": "Who am I?"}],
            }
        ],
    )
    add_call(corpus, "9004", START + timedelta(hours=3), transcript=[])
    add_call(corpus, "9005", START + timedelta(hours=4))
    url = isolated_database_url
    with (
        serve_gong(corpus) as gong,
        GongClient(gong.base_url, gong.sim.access_key, gong.sim.access_key_secret, requests_per_second=1000) as client,
    ):
        record_calls(url, client.iter_calls(START - timedelta(days=1), START + timedelta(days=1)), ZoneInfo("UTC"))
        report = ingest_transcripts(url, client, START.date(), START.date() + timedelta(days=1), ZoneInfo("UTC"))
    return url, report


def test_ingest_transcripts_records_reason_per_malformed_call(outcome) -> None:  # type: ignore[no-untyped-def]
    url, report = outcome
    with connect(url) as conn:
        reasons = {r["call_id"]: r["reason"] for r in conn.execute("select call_id, reason from raw.ingestion_issues")}
    assert reasons == {"9002": "missing_speakers", "9003": "unknown_speaker", "9004": "empty_transcript"}
    assert report.invalid == 3


def test_ingest_transcripts_keeps_good_calls_of_the_same_partition(outcome) -> None:  # type: ignore[no-untyped-def]
    url, report = outcome
    with connect(url) as conn:
        stored = sorted(r["call_id"] for r in conn.execute("select call_id from raw.transcripts"))
        rows = conn.execute("select call_id, transcript_status from raw.calls").fetchall()
    statuses = {r["call_id"]: r["transcript_status"] for r in rows}
    assert stored == ["9001", "9005"]
    assert statuses["9001"] == "ready" and statuses["9004"] == "invalid"
    assert report.stored == 2


def test_ingest_transcripts_preserves_non_ascii_text(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _ = outcome
    with connect(url) as conn:
        row = conn.execute("select normalized from raw.transcripts where call_id = '9001'").fetchone()
    texts = [s["text"] for turn in row["normalized"]["turns"] for s in turn["sentences"]]
    assert "Our naïve cron setup costs us €4k a month." in texts
    assert row["normalized"]["speakers"]["900192"]["name"] == "José Núñez"
