"""The client pages every endpoint to the end: cursor in the query for GET, in the body for POST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coaching_pipeline.gong.client import GongClient
from coaching_sandbox.simulators._gong_data import compact
from coaching_sandbox.simulators.gong import RunningGong
from tests.gong.conftest import PAGE_SIZE, TRANSCRIPT_PAGE_SIZE
from tests.gong.factories import CALL_COUNT, NO_TRANSCRIPT_CALLS, USER_COUNT, SmallCorpus

WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 10, tzinfo=UTC))


def _pages(count: int, size: int) -> int:
    return -(-count // size)


def _requests(gong: RunningGong, path: str) -> int:
    return sum(1 for entry in gong.sim.request_log if entry.path == path and entry.status == 200)


def test_iter_users_pages_through_every_user(client: GongClient, gong: RunningGong, corpus: SmallCorpus) -> None:
    users = list(client.iter_users())

    assert [u.id for u in users] == [u["id"] for u in corpus.users]
    assert _requests(gong, "/v2/users") == _pages(USER_COUNT, PAGE_SIZE) >= 3


def test_iter_users_keeps_raw_payload(client: GongClient, corpus: SmallCorpus) -> None:
    first = next(iter(client.iter_users()))

    assert first.raw["id"] == corpus.users[0]["id"]
    assert first.raw["emailAddress"] == corpus.users[0]["emailAddress"]


def test_iter_calls_pages_through_the_window(client: GongClient, gong: RunningGong, corpus: SmallCorpus) -> None:
    calls = list(client.iter_calls(*WINDOW))

    assert [c.id for c in calls] == corpus.call_ids()
    assert _requests(gong, "/v2/calls") == _pages(CALL_COUNT, PAGE_SIZE) >= 3


def test_iter_calls_includes_from_and_excludes_to(client: GongClient, corpus: SmallCorpus) -> None:
    ids = corpus.call_ids()
    start, end = corpus.started(ids[2]), corpus.started(ids[5])

    calls = list(client.iter_calls(start, end))

    assert [c.id for c in calls] == ids[2:5]


def test_iter_calls_empty_window_yields_nothing(client: GongClient, gong: RunningGong) -> None:
    calls = list(client.iter_calls(datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 1, 2, tzinfo=UTC)))

    assert calls == []
    assert [e.status for e in gong.sim.request_log] == [404]


def test_iter_calls_rejects_naive_datetimes(client: GongClient) -> None:
    with pytest.raises(ValueError, match="time zone"):
        client.iter_calls(datetime(2026, 8, 1), datetime(2026, 8, 2))


def test_iter_extensive_calls_pages_by_ids(client: GongClient, gong: RunningGong, corpus: SmallCorpus) -> None:
    calls = list(client.iter_extensive_calls(call_ids=corpus.call_ids()))

    assert [c.id for c in calls] == corpus.call_ids()
    assert _requests(gong, "/v2/calls/extensive") == _pages(CALL_COUNT, PAGE_SIZE) >= 3


def test_iter_extensive_calls_by_range_exposes_parties_content_interaction(
    client: GongClient, corpus: SmallCorpus
) -> None:
    calls = list(client.iter_extensive_calls(from_dt=WINDOW[0], to_dt=WINDOW[1]))
    call = calls[-1]

    assert len(calls) == CALL_COUNT
    assert {p.speaker_id for p in call.parties} == {f"{CALL_COUNT - 1}1", f"{CALL_COUNT - 1}2", None}
    assert call.content is not None and call.content.topics[0].name == "Pricing"
    assert call.interaction is not None and call.interaction.questions is not None
    assert call.raw["metaData"]["id"] == call.id


def test_iter_extensive_calls_batches_ids_by_hundred(
    client: GongClient, gong: RunningGong, corpus: SmallCorpus
) -> None:
    unknown = [str(9_000_000 + n) for n in range(125)]

    calls = list(client.iter_extensive_calls(call_ids=corpus.call_ids() + unknown))

    assert len(calls) == CALL_COUNT
    log = [e for e in gong.sim.request_log if e.path == "/v2/calls/extensive"]
    assert [e.status for e in log] == [200] * _pages(CALL_COUNT, PAGE_SIZE) + [404]


def test_iter_extensive_calls_needs_a_filter(client: GongClient) -> None:
    with pytest.raises(ValueError, match="call_ids or a from_dt"):
        client.iter_extensive_calls()


def test_fetch_transcripts_pages_through_every_transcript(
    client: GongClient, gong: RunningGong, corpus: SmallCorpus
) -> None:
    transcripts = client.fetch_transcripts(corpus.call_ids())

    assert set(transcripts) == set(corpus.transcripts)
    assert _requests(gong, "/v2/calls/transcript") == _pages(CALL_COUNT - NO_TRANSCRIPT_CALLS, TRANSCRIPT_PAGE_SIZE)


def test_fetch_transcripts_entries_keep_raw_and_units(client: GongClient, corpus: SmallCorpus) -> None:
    call_id = corpus.call_ids()[-1]

    entries = client.fetch_transcripts([call_id])[call_id]

    assert [e.raw for e in entries] == compact(corpus.transcripts[call_id])
    assert entries[1].sentences[0].start == 4500


def test_fetch_transcripts_omits_calls_not_transcribed_yet(
    client: GongClient, gong: RunningGong, corpus: SmallCorpus
) -> None:
    ids = corpus.call_ids()
    gong.sim.clock = lambda: corpus.started(ids[10]) + timedelta(hours=3)

    transcripts = client.fetch_transcripts(ids)

    assert set(transcripts) == {i for i in ids[NO_TRANSCRIPT_CALLS:11]}


def test_fetch_transcripts_without_ids_sends_no_request(client: GongClient, gong: RunningGong) -> None:
    assert client.fetch_transcripts([]) == {}
    assert gong.sim.request_log == []
    assert client.request_count == 0
