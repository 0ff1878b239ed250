"""Normalization of Gong's parties and transcript entries."""

from __future__ import annotations

import hashlib

import pytest

from coaching_pipeline.transcripts.models import UNIDENTIFIED_SPEAKER_ID, SpeakerRole
from coaching_pipeline.transcripts.normalize import (
    TranscriptError,
    normalize_transcript,
    normalize_with_warning,
    transcript_sha256,
)
from coaching_pipeline.transcripts.render import render_transcript

PARTIES = [
    {"id": "p1", "speakerId": "101", "userId": "u1", "name": "Riley Rep", "affiliation": "Internal"},
    {"id": "p2", "speakerId": "102", "userId": "u2", "name": "Ira Internal", "affiliation": "Internal"},
    {"id": "p3", "speakerId": "103", "name": "Casey Customer", "title": "CTO", "affiliation": "External"},
    {"id": "p4", "speakerId": "104", "name": "Dial-in", "affiliation": "Unknown"},
    {"id": "p5", "userId": "u9", "name": "Silent Manager", "affiliation": "Internal"},
]


def _entry(speaker_id: str, *sentences: tuple[int, int, str], topic: str | None = None) -> dict:
    return {
        "speakerId": speaker_id,
        "topic": topic,
        "sentences": [{"start": s, "end": e, "text": t} for s, e, t in sentences],
    }


ENTRIES = [
    _entry("101", (0, 1500, "Hi, thanks for joining."), (1600, 4000, "Walk me through your setup?")),
    _entry("103", (4200, 9000, "We run Airflow on-prem."), topic="Discovery"),
    _entry("102", (9100, 9900, "Agreed.")),
    _entry("104", (10000, 11000, "Hello?")),
]


def _reason(parties: list[dict], entries: list[dict]) -> TranscriptError:
    with pytest.raises(TranscriptError) as caught:
        normalize_transcript("c1", parties, entries, "u1")
    return caught.value


def test_normalize_transcript_assigns_roles_from_primary_user_and_affiliation() -> None:
    result = normalize_transcript("c1", PARTIES, ENTRIES, "u1")
    roles = {sid: speaker.role for sid, speaker in result.speakers.items()}
    assert roles == {
        "101": SpeakerRole.REP,
        "102": SpeakerRole.INTERNAL,
        "103": SpeakerRole.CUSTOMER,
        "104": SpeakerRole.UNKNOWN,
    }


def test_normalize_transcript_without_primary_user_has_no_rep() -> None:
    result = normalize_transcript("c1", PARTIES, ENTRIES, None)
    assert result.rep_speaker_ids() == set() and result.speakers["101"].role == SpeakerRole.INTERNAL


def test_normalize_transcript_keeps_turns_times_and_topics() -> None:
    result = normalize_transcript("c1", PARTIES, ENTRIES, "u1")
    assert [(t.index, t.speaker_id, t.topic) for t in result.turns] == [
        (0, "101", None),
        (1, "103", "Discovery"),
        (2, "102", None),
        (3, "104", None),
    ]
    assert [(s.start_ms, s.end_ms) for s in result.turns[0].sentences] == [(0, 1500), (1600, 4000)]


def test_normalize_transcript_keeps_text_exactly() -> None:
    text = "  Ça coûte 30 %… 東京 — ok?\tfine \n"
    result = normalize_transcript("c1", PARTIES, [_entry("103", (0, 10, text))], "u1")
    assert result.turns[0].sentences[0].text == text


def test_normalize_transcript_keeps_speaker_titles_and_user_ids() -> None:
    result = normalize_transcript("c1", PARTIES, ENTRIES, "u1")
    assert (result.speakers["103"].title, result.speakers["101"].user_id) == ("CTO", "u1")


def test_normalize_transcript_rejects_empty_transcript() -> None:
    assert _reason(PARTIES, []).reason == "empty_transcript"


def test_normalize_transcript_rejects_parties_without_speaker_ids() -> None:
    parties = [{k: v for k, v in p.items() if k != "speakerId"} for p in PARTIES]
    assert _reason(parties, ENTRIES).reason == "missing_speakers"


STRANGERS = [
    _entry("999", (12_000, 14_000, "Sorry, who joined?"), (14_100, 15_000, "Hi.")),
    _entry("777", (0, 1000, "y")),
]


def test_normalize_transcript_gives_unknown_speaker_ids_to_one_unidentified_speaker() -> None:
    result = normalize_transcript("c1", PARTIES, [*ENTRIES, *STRANGERS], "u1")
    unidentified = result.speakers[UNIDENTIFIED_SPEAKER_ID]
    assert (unidentified.name, unidentified.role, unidentified.is_identified) == (
        "Unidentified speaker",
        SpeakerRole.UNKNOWN,
        False,
    )
    assert [t.speaker_id for t in result.turns[4:]] == [UNIDENTIFIED_SPEAKER_ID, UNIDENTIFIED_SPEAKER_ID]
    assert result.turns[4].sentences[0].text == "Sorry, who joined?"


def test_normalize_with_warning_says_which_ids_and_how_many_sentences() -> None:
    _, warning = normalize_with_warning("c1", PARTIES, [*ENTRIES, *STRANGERS], "u1")
    assert warning is not None and warning.reason == "unidentified_speaker"
    assert (warning.detail["speaker_ids"], warning.detail["sentences"], warning.detail["talk_seconds"]) == (
        ["777", "999"],
        3,
        3.9,
    )


def test_normalize_with_warning_has_none_when_every_speaker_is_a_party() -> None:
    assert normalize_with_warning("c1", PARTIES, ENTRIES, "u1").warning is None


def test_render_transcript_names_the_unidentified_speaker() -> None:
    rendered = render_transcript(normalize_transcript("c1", PARTIES, [*ENTRIES, *STRANGERS], "u1"))
    assert rendered.splitlines()[-1] == "[00:00] Unidentified speaker (unknown): y"


def test_normalize_transcript_without_a_sentence_from_a_party_is_invalid() -> None:
    error = _reason(PARTIES, STRANGERS)
    assert (error.reason, error.detail["speaker_ids"]) == ("unknown_speaker", ["777", "999"])


def test_normalize_transcript_rejects_end_before_start() -> None:
    assert _reason(PARTIES, [_entry("101", (5000, 4000, "x"))]).reason == "bad_timing"


def test_normalize_transcript_rejects_negative_times() -> None:
    assert _reason(PARTIES, [_entry("101", (-10, 4000, "x"))]).reason == "bad_timing"


def test_normalize_transcript_rejects_turn_without_sentences() -> None:
    assert _reason(PARTIES, [*ENTRIES, _entry("103")]).reason == "empty_turn"


def test_normalize_transcript_reports_malformed_payload() -> None:
    error = _reason(PARTIES, [{"speakerId": "101", "sentences": [{"start": 0}]}])
    assert (error.reason, error.detail["source"]) == ("malformed_payload", "entries")


def test_transcript_error_is_a_value_error() -> None:
    assert isinstance(TranscriptError("bad_timing", {}), ValueError)


def test_transcript_sha256_hashes_canonical_json() -> None:
    entries = [{"topic": None, "speakerId": "1", "sentences": [{"text": "Héllo", "start": 0, "end": 1500}]}]
    canonical = '[{"sentences":[{"end":1500,"start":0,"text":"Héllo"}],"speakerId":"1","topic":null}]'
    assert transcript_sha256(entries) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_transcript_sha256_ignores_key_order() -> None:
    reordered = [dict(reversed(list(entry.items()))) for entry in ENTRIES]
    assert transcript_sha256(reordered) == transcript_sha256(ENTRIES)


def test_transcript_sha256_changes_with_text() -> None:
    changed = [_entry("101", (0, 1500, "Hi, thanks for joining!")), *ENTRIES[1:]]
    assert transcript_sha256(changed) != transcript_sha256(ENTRIES)
