"""The shared `[MM:SS] Name (role): text` transcript format and its parser."""

from __future__ import annotations

from coaching_pipeline.transcripts.models import SpeakerRole
from coaching_pipeline.transcripts.render import (
    RenderedLine,
    format_timestamp,
    parse_rendered_line,
    render_transcript,
    render_turn,
)
from tests.transcripts.factories import SPEAKERS, transcript

CALL = transcript(
    ("r", [(65_400, 70_000, "Walk me through it."), (70_100, 72_000, "What happens when it fails?")]),
    ("c", [(3_725_999, 3_730_000, "Überall — 東京 too.")]),
)


def test_format_timestamp_uses_minutes_and_seconds_below_an_hour() -> None:
    assert (format_timestamp(0), format_timestamp(65_400), format_timestamp(3_599_999)) == (
        "00:00",
        "01:05",
        "59:59",
    )


def test_format_timestamp_adds_hours_from_one_hour() -> None:
    assert (format_timestamp(3_600_000), format_timestamp(36_061_000)) == ("1:00:00", "10:01:01")


def test_render_turn_joins_sentences_with_one_space() -> None:
    assert render_turn(CALL, CALL.turns[0]) == (
        "[01:05] Riley Rep (rep): Walk me through it. What happens when it fails?"
    )


def test_render_transcript_writes_one_line_per_turn() -> None:
    assert render_transcript(CALL).split("\n") == [
        "[01:05] Riley Rep (rep): Walk me through it. What happens when it fails?",
        "[1:02:05] Casey Customer (customer): Überall — 東京 too.",
    ]


def test_render_transcript_turns_line_breaks_into_spaces() -> None:
    call = transcript(("c", [(0, 1, "one\ntwo\r\nthree\u2028four")]))
    assert render_transcript(call).splitlines() == ["[00:00] Casey Customer (customer): one two  three four"]


def test_parse_rendered_line_inverts_render_turn() -> None:
    line = render_turn(CALL, CALL.turns[1])
    assert parse_rendered_line(line) == (3725, "Casey Customer", SpeakerRole.CUSTOMER, "Überall — 東京 too.")


def test_parse_rendered_line_reads_names_with_parentheses() -> None:
    speakers = {"r": SPEAKERS["r"].model_copy(update={"name": "Riley (SE) Rep"})}
    call = transcript(("r", [(1_000, 2_000, "So what I'm hearing (roughly): speed.")]), speakers=speakers)
    assert parse_rendered_line(render_turn(call, call.turns[0])) == RenderedLine(
        1, "Riley (SE) Rep", SpeakerRole.REP, "So what I'm hearing (roughly): speed."
    )


def test_parse_rendered_line_rejects_other_lines() -> None:
    assert [parse_rendered_line(x) for x in ("", "hello", "[1:2] A (rep): x", "[00:01] A (boss): x")] == [None] * 4
