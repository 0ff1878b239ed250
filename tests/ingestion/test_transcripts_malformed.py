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
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, default_transcript, rep_user

DIAL_IN = {
    "speakerId": "5550123",
    "topic": None,
    "sentences": [{"start": 9500, "end": 11000, "text": "Hi, dialing in."}],
}


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
    add_call(corpus, "9006", START + timedelta(hours=5), transcript=[*default_transcript("9006"), DIAL_IN])
    url = isolated_database_url
    with (
        serve_gong(corpus) as gong,
        GongClient(gong.base_url, gong.sim.access_key, gong.sim.access_key_secret, requests_per_second=1000) as client,
    ):
        record_calls(url, client.iter_calls(START - timedelta(days=1), START + timedelta(days=1)), ZoneInfo("UTC"))
        day = (START.date(), START.date() + timedelta(days=1))
        report = ingest_transcripts(url, client, *day, ZoneInfo("UTC"))[day[0]]
        rerun = ingest_transcripts(url, client, *day, ZoneInfo("UTC"))[day[0]]
    return url, report, rerun


def _issues(url: str) -> dict[str, tuple[str, str]]:
    with connect(url) as conn:
        rows = conn.execute("select call_id, severity, reason from raw.ingestion_issues").fetchall()
    return {r["call_id"]: (r["severity"], r["reason"]) for r in rows}


def test_ingest_transcripts_records_reason_per_malformed_call(outcome) -> None:  # type: ignore[no-untyped-def]
    url, report, _ = outcome
    assert _issues(url) == {
        "9002": ("error", "missing_speakers"),
        "9003": ("error", "unknown_speaker"),
        "9004": ("error", "empty_transcript"),
        "9006": ("warning", "unidentified_speaker"),
    }
    assert (report.invalid, report.warnings) == (3, 1)


def test_ingest_transcripts_stores_a_call_with_an_unidentified_speaker(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = outcome
    with connect(url) as conn:
        row = conn.execute(
            "select t.normalized, c.transcript_status, i.detail from raw.transcripts as t join raw.calls as c"
            " using (call_id) join raw.ingestion_issues as i using (call_id) where call_id = '9006'"
        ).fetchone()
    assert row["transcript_status"] == "ready"
    assert row["normalized"]["turns"][-1]["speaker_id"] == "unidentified"
    assert (row["detail"]["speaker_ids"], row["detail"]["sentences"]) == (["5550123"], 1)


def test_ingest_transcripts_rerun_keeps_one_issue_per_call(outcome) -> None:  # type: ignore[no-untyped-def]
    url, report, rerun = outcome
    assert _issues(url)["9006"] == ("warning", "unidentified_speaker")
    with connect(url) as conn:
        assert conn.execute("select count(*) as n from raw.ingestion_issues").fetchone()["n"] == 4
    assert (rerun.stored, rerun.unchanged) == (0, report.stored)


def test_ingest_transcripts_keeps_good_calls_of_the_same_partition(outcome) -> None:  # type: ignore[no-untyped-def]
    url, report, _ = outcome
    with connect(url) as conn:
        stored = sorted(r["call_id"] for r in conn.execute("select call_id from raw.transcripts"))
        rows = conn.execute("select call_id, transcript_status from raw.calls").fetchall()
    statuses = {r["call_id"]: r["transcript_status"] for r in rows}
    assert stored == ["9001", "9005", "9006"]
    assert statuses["9001"] == "ready" and statuses["9004"] == "invalid"
    assert report.stored == 3


def test_ingest_transcripts_preserves_non_ascii_text(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = outcome
    with connect(url) as conn:
        row = conn.execute("select normalized from raw.transcripts where call_id = '9001'").fetchone()
    texts = [s["text"] for turn in row["normalized"]["turns"] for s in turn["sentences"]]
    assert "Our naïve cron setup costs us €4k a month." in texts
    assert row["normalized"]["speakers"]["900192"]["name"] == "José Núñez"
