"""A day's runs ask Gong only for the calls without a stored transcript: the sensor runs a day many times, and
refetching the day so far each time made its Gong requests grow with the square of its calls (docs/scaling.md).
`refetch` still asks for every call, so a transcript Gong corrected can be taken in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.ingestion.transcripts import TranscriptIngestReport, ingest_transcripts
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.gong import RunningGong, serve_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, default_transcript, rep_user

UTC = ZoneInfo("UTC")
DAY = (START.date(), START.date() + timedelta(days=1))
LATE = START + timedelta(hours=2, minutes=30)  # listed at +2:45, its transcript ready at +3:10


@dataclass
class Day:
    url: str
    corpus: TinyCorpus
    gong: RunningGong
    clock: list[datetime]

    def ingest(self, *, refetch: bool = False) -> tuple[TranscriptIngestReport, int]:
        """One run over the day: its report and the Gong requests it made."""
        sim = self.gong.sim
        with GongClient(self.gong.base_url, sim.access_key, sim.access_key_secret, requests_per_second=1000) as client:
            report = ingest_transcripts(self.url, client, *DAY, UTC, refetch=refetch)[DAY[0]]
            return report, client.request_count

    def sha(self, call_id: str) -> str:
        with connect(self.url) as conn:
            row = conn.execute("select sha256 from raw.transcripts where call_id = %s", (call_id,)).fetchone()
        return str(row["sha256"])


def corrected(call_id: str) -> list[dict[str, object]]:
    turns = default_transcript(call_id)
    turns[0] = {**turns[0], "sentences": [{"start": 0, "end": 2500, "text": "Walk me through your scheduling."}]}
    return turns


@pytest.fixture
def day(isolated_database_url: str) -> Iterator[Day]:
    corpus = TinyCorpus(users=[rep_user()])
    add_call(corpus, "9101", START)
    add_call(corpus, "9102", START + timedelta(hours=1))
    add_call(corpus, "9103", LATE)
    add_call(corpus, "9104", START + timedelta(hours=2), transcript=[])
    clock = [START + timedelta(hours=3)]
    with connect(isolated_database_url) as conn:
        conn.execute("truncate raw.calls, raw.transcripts, raw.ingestion_issues cascade")
    with serve_gong(corpus, clock=lambda: clock[0]) as gong:
        gong.sim.faults.transcripts_delayed = True
        yield Day(isolated_database_url, corpus, gong, clock)


def test_rerun_asks_gong_only_for_calls_without_a_stored_transcript(day: Day) -> None:
    first, first_requests = day.ingest()
    assert (first.calls, first.fetched, first.stored, first.waiting, first.invalid) == (4, 4, 2, 1, 1)
    assert first_requests == 3  # the day's listing, extensive data, transcripts

    day.corpus.transcripts["9101"] = corrected("9101")  # not asked for again, so not seen
    stored_sha = day.sha("9101")
    day.clock[0] = START + timedelta(hours=4)  # 9103's transcript is ready now
    second, second_requests = day.ingest()
    assert (second.calls, second.fetched, second.unchanged, second.stored) == (4, 2, 2, 1)  # 9103 and 9104
    assert second_requests == 3
    assert day.sha("9101") == stored_sha


def test_rerun_with_every_transcript_stored_only_lists_the_day(day: Day) -> None:
    day.corpus.transcripts["9104"] = default_transcript("9104")
    day.clock[0] = START + timedelta(hours=4)
    first, _ = day.ingest()
    assert (first.fetched, first.stored) == (4, 4)
    again, requests = day.ingest()
    assert (again.calls, again.fetched, again.unchanged, again.stored) == (4, 0, 4, 0)
    assert requests == 1


def test_refetch_asks_for_every_call_and_takes_in_a_corrected_transcript(day: Day) -> None:
    day.clock[0] = START + timedelta(hours=4)
    day.ingest()
    before = day.sha("9101")
    day.corpus.transcripts["9101"] = corrected("9101")
    report, requests = day.ingest(refetch=True)
    assert (report.calls, report.fetched, report.stored) == (4, 4, 1)
    assert requests == 3
    assert day.sha("9101") != before
