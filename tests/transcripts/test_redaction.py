"""PII redaction: what each rule catches, what it leaves alone, and when the policy's version changes."""

from __future__ import annotations

import pytest

from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn
from coaching_pipeline.transcripts.redaction import RedactionPolicy, luhn_valid, parse_deny_list

POLICY = RedactionPolicy(names=("Jordan Blake", "Müller"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail riley.rep+x@prefect.example today", "mail [EMAIL] today"),
        ("it is jordan dot blake at acme dot com", "it is [EMAIL]"),
        ("call +1 (415) 555-0134 or 020 7946 0958", "call [PHONE] or [PHONE]"),
        ("my cell is 415.555.0199.", "my cell is [PHONE]."),
        ("bill 4111 1111 1111 1111 please", "bill [CARD] please"),
        ("or 5500-0000-0000-0004", "or [CARD]"),
        ("ask JORDAN  blake or señor Müller's team", "ask [NAME] or señor [NAME]'s team"),
    ],
)
def test_redact_text_replaces_pii_with_placeholders(text: str, expected: str) -> None:
    assert POLICY.redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we run 200 DAGs and 1500 tasks a day",
        "revenue grew to 4000000 this year",
        "the renewal is on 2026-08-04",
        "a 16-digit id 4111 1111 1111 1112 fails the checksum",
        "Jordanblake is one word",
    ],
)
def test_redact_text_leaves_ordinary_numbers_and_words(text: str) -> None:
    assert POLICY.redact_text(text) == text


def test_luhn_valid_accepts_test_cards_and_rejects_typos() -> None:
    assert luhn_valid("4111111111111111") and luhn_valid("5500000000000004")
    assert not luhn_valid("4111111111111112")


def test_redaction_policy_version_follows_its_configuration() -> None:
    assert RedactionPolicy(kinds=frozenset()).version == "none"
    assert RedactionPolicy().version != POLICY.version
    assert RedactionPolicy(names=("müller", "jordan blake")).version == POLICY.version
    assert RedactionPolicy(kinds=frozenset({"email"})).version != RedactionPolicy().version


def test_parse_deny_list_skips_comments_and_blanks() -> None:
    assert parse_deny_list(["# customers", "Jordan Blake", "", "Müller  # DE", "Jordan Blake"]) == (
        "Jordan Blake",
        "Müller",
    )


def test_redact_transcript_covers_sentences_and_speaker_names() -> None:
    transcript = Transcript(
        call_id="c1",
        speakers={"s": Speaker(speaker_id="s", name="Jordan Blake", role=SpeakerRole.CUSTOMER)},
        turns=[Turn(index=0, speaker_id="s", sentences=[Sentence(start_ms=0, end_ms=1, text="jb@acme.example")])],
    )
    redacted = POLICY.redact(transcript)
    assert redacted.speakers["s"].name == "[NAME]"
    assert redacted.turns[0].sentences[0].text == "[EMAIL]"
    assert transcript.turns[0].sentences[0].text == "jb@acme.example"
