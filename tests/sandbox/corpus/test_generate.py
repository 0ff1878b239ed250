"""The sample corpus: deterministic, Gong-shaped, and as large and varied as the brief requires."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from coaching_sandbox.corpus import GongCorpus, corpus_window, generate_corpus, read_corpus, to_json, write_corpus
from tests.sandbox.corpus.talk import kind_of

KINDS = {"Discovery", "Demo", "Technical Deep Dive", "Renewal", "QBR"}
REP_TITLES = {"Account Executive", "Senior Account Executive", "Solutions Engineer", "Customer Success Manager"}
USER_FIELDS = {
    "id",
    "emailAddress",
    "firstName",
    "lastName",
    "title",
    "managerId",
    "active",
    "created",
    "phoneNumber",
    "extension",
    "personalMeetingUrls",
    "settings",
    "spokenLanguages",
}
META_FIELDS = {
    "id",
    "url",
    "title",
    "scheduled",
    "started",
    "duration",
    "primaryUserId",
    "direction",
    "system",
    "scope",
    "media",
    "language",
    "workspaceId",
    "sdrDisposition",
    "clientUniqueId",
    "customData",
    "purpose",
    "meetingUrl",
    "isPrivate",
    "calendarEventId",
}
NUMERIC_ID = re.compile(r"\d{1,20}")


def _small(seed: int) -> GongCorpus:
    return generate_corpus(seed, weeks=3, calls=40, include_malformed=True)


def test_generate_corpus_same_seed_gives_identical_json() -> None:
    assert to_json(_small(7)) == to_json(_small(7))


def test_generate_corpus_other_seed_differs() -> None:
    assert to_json(_small(7)) != to_json(_small(8))


def test_users_form_two_teams_under_a_vp(sample: GongCorpus) -> None:
    by_id = {u["id"]: u for u in sample.users}
    (vp,) = [u for u in sample.users if u["title"] == "VP of Sales"]
    managers = [u for u in sample.users if u["title"].startswith("Sales Manager, ")]
    reps = [u for u in sample.users if u["title"] in REP_TITLES and u["active"]]
    assert vp["managerId"] is None
    assert len(managers) >= 2 and all(m["managerId"] == vp["id"] for m in managers)
    assert len(reps) >= 12 and all(by_id[r["managerId"]] in managers for r in reps)
    assert {u["title"] for u in reps} >= {"Account Executive", "Solutions Engineer", "Customer Success Manager"}


def test_users_carry_gong_fields_and_numeric_ids(sample: GongCorpus) -> None:
    for user in sample.users:
        assert user.keys() >= USER_FIELDS
        assert NUMERIC_ID.fullmatch(user["id"])
        assert datetime.fromisoformat(user["created"]).tzinfo is not None
    names = " ".join(f"{u['firstName']} {u['lastName']}" for u in sample.users)
    assert all(name in names for name in ("José", "Zoë", "Søren", "Łukasz"))


def test_calls_default_count_spans_the_quarter_on_weekdays(sample: GongCorpus) -> None:
    zone = ZoneInfo("America/New_York")
    starts = [datetime.fromisoformat(c["metaData"]["started"]) for c in sample.calls]
    assert 420 <= len(sample.calls) <= 480
    assert len({s.isocalendar()[:2] for s in starts}) >= 12
    assert all(s.astimezone(zone).weekday() < 5 and 7 <= s.astimezone(zone).hour < 19 for s in starts)
    assert any("." in c["metaData"]["started"] for c in sample.calls)
    assert any("." not in c["metaData"]["started"] for c in sample.calls)


def test_calls_cover_every_kind_in_titles(sample: GongCorpus) -> None:
    assert {kind_of(c) for c in sample.calls} == KINDS
    assert all(" <> Prefect | " in c["metaData"]["title"] for c in sample.calls)


def test_calls_last_ten_to_ninety_minutes_plus_a_two_hour_call(sample: GongCorpus) -> None:
    durations = [c["metaData"]["duration"] for c in sample.calls]
    assert all(600 <= d <= 5400 or 6600 <= d <= 7800 for d in durations)
    assert any(6600 <= d <= 7800 for d in durations)


def test_calls_metadata_has_gong_fields(sample: GongCorpus) -> None:
    workspaces = {c["metaData"]["workspaceId"] for c in sample.calls}
    assert len(workspaces) == 1
    for call in sample.calls:
        meta = call["metaData"]
        assert meta.keys() >= META_FIELDS and NUMERIC_ID.fullmatch(meta["id"])
        assert (meta["direction"], meta["system"], meta["scope"], meta["media"]) == (
            "Conference",
            "Zoom",
            "External",
            "Video",
        )
    assert len({c["metaData"]["id"] for c in sample.calls}) == len(sample.calls)


def test_parties_have_rep_externals_and_distinct_speaker_ids(sample: GongCorpus) -> None:
    silent = 0
    for call in sample.calls:
        parties = call["parties"]
        assert parties[0]["userId"] == call["metaData"]["primaryUserId"]
        external = [p for p in parties if p["affiliation"] == "External"]
        assert 1 <= len(external) <= 4 and not any("userId" in p for p in external)
        speakers = [p["speakerId"] for p in parties if "speakerId" in p]
        assert len(set(speakers)) == len(speakers)
        assert not set(speakers) & {p["id"] for p in parties}
        silent += call["metaData"]["id"] not in sample.malformed and len(speakers) < len(parties)
    assert silent > 0


def test_transcript_speakers_resolve_except_malformed(sample: GongCorpus) -> None:
    unresolved = set()
    for call in sample.calls:
        known = {p.get("speakerId") for p in call["parties"]}
        transcript = sample.transcripts[call["metaData"]["id"]]
        if not transcript or any(e["speakerId"] not in known for e in transcript):
            unresolved.add(call["metaData"]["id"])
    assert unresolved == set(sample.malformed) and len(unresolved) == 3


def test_transcript_times_are_monotonic_milliseconds_within_the_call(sample: GongCorpus) -> None:
    for call in sample.calls:
        sentences = [s for e in sample.transcripts[call["metaData"]["id"]] for s in e["sentences"]]
        if not sentences:
            continue
        assert all(s["start"] < s["end"] for s in sentences)
        assert all(a["end"] <= b["start"] for a, b in zip(sentences, sentences[1:], strict=False))
        duration_ms = call["metaData"]["duration"] * 1000
        assert 0.85 * duration_ms <= sentences[-1]["end"] <= duration_ms


def test_transcript_sentences_have_two_to_twenty_five_words(sample: GongCorpus) -> None:
    counts = Counter(len(s["text"].split()) for t in sample.transcripts.values() for e in t for s in e["sentences"])
    assert min(counts) >= 2 and max(counts) <= 25


def test_transcript_text_includes_non_ascii(sample: GongCorpus) -> None:
    text = " ".join(s["text"] for t in sample.transcripts.values() for e in t for s in e["sentences"])
    assert "€" in text and "naïve" in text


def test_call_listed_before_its_transcript_is_ready(sample: GongCorpus) -> None:
    for call in sample.calls:
        meta = call["metaData"]
        ended = datetime.fromisoformat(meta["started"]) + timedelta(seconds=meta["duration"])
        listed, ready = sample.available_at[meta["id"]], sample.transcript_ready_at[meta["id"]]
        assert listed.tzinfo == UTC and ready.tzinfo == UTC
        assert timedelta(minutes=2) <= listed - ended <= timedelta(minutes=20)
        assert timedelta(minutes=10) <= ready - ended <= timedelta(hours=4) and ready > listed


def test_trackers_point_at_transcript_speakers(sample: GongCorpus) -> None:
    call = next(c for c in sample.calls if c["metaData"]["id"] not in sample.malformed)
    speakers = {e["speakerId"] for e in sample.transcripts[call["metaData"]["id"]]}
    occurrences = [o for t in call["content"]["trackers"] for o in t["occurrences"]]
    assert occurrences and {o["speakerId"] for o in occurrences} <= speakers
    assert all(t["count"] == len(t["occurrences"]) for t in call["content"]["trackers"])


def test_corpus_window_brackets_every_call(sample: GongCorpus) -> None:
    first, end = corpus_window(sample)
    starts = [datetime.fromisoformat(c["metaData"]["started"]) for c in sample.calls]
    assert first == min(starts) and all(first <= s < end for s in starts)


def test_write_corpus_round_trips(tmp_path: Path) -> None:
    corpus = _small(3)
    write_corpus(corpus, tmp_path)
    assert to_json(read_corpus(tmp_path)) == to_json(corpus)


def test_generate_corpus_builds_two_thousand_calls_without_malformed() -> None:
    corpus = generate_corpus(calls=2000)
    assert len(corpus.calls) == len(corpus.transcripts) == 2000
    assert corpus.malformed == {}


def test_only_parties_who_spoke_have_speaker_ids(sample: GongCorpus) -> None:
    for call in sample.calls:
        spoke = {e["speakerId"] for e in sample.transcripts[call["metaData"]["id"]]}
        if call["metaData"]["id"] not in sample.malformed:
            assert {p["speakerId"] for p in call["parties"] if "speakerId" in p} == spoke
