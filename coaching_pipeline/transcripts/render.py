"""The shared one-line-per-turn transcript text: `[MM:SS] Name (role): sentence sentence ...`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from coaching_pipeline.transcripts.models import SpeakerRole, Transcript, Turn

# Every character str.splitlines() breaks on: rendered text must stay one line per turn.
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_ROLES = "|".join(role.value for role in SpeakerRole)
_LINE = re.compile(rf"^\[(?:(\d+):)?(\d{{2}}):(\d{{2}})\] (.+?) \(({_ROLES})\): ?(.*)$")


class RenderedLine(NamedTuple):
    """One parsed transcript line; a tuple so callers may unpack `(seconds, name, role, text)`."""

    seconds: int
    name: str
    role: SpeakerRole
    text: str


def one_line(text: str) -> str:
    """Replace line breaks with spaces (one for one), so a sentence can never split a rendered turn."""
    return LINE_BREAK.sub(" ", text)


def format_timestamp(ms: int) -> str:
    """`MM:SS` below an hour, `H:MM:SS` from then on; seconds are truncated, never rounded up."""
    total = max(ms, 0) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def speaker_label(transcript: Transcript, speaker_id: str) -> str:
    """`Name (role):`: the part of a line that says who speaks."""
    speaker = transcript.speakers[speaker_id]
    return f"{one_line(speaker.name)} ({speaker.role.value}):"


def render_line(label: str, start_ms: int, texts: Iterable[str]) -> str:
    """One line for consecutive sentences of one speaker; chunking uses it for partial turns."""
    return f"[{format_timestamp(start_ms)}] {label} {one_line(' '.join(texts))}"


def render_turn(transcript: Transcript, turn: Turn) -> str:
    return render_line(speaker_label(transcript, turn.speaker_id), turn.start_ms, (s.text for s in turn.sentences))


def render_transcript(transcript: Transcript) -> str:
    """The whole call, one line per turn, joined with newlines (no trailing newline)."""
    labels = {speaker_id: speaker_label(transcript, speaker_id) for speaker_id in transcript.speakers}
    return "\n".join(
        render_line(labels[turn.speaker_id], turn.start_ms, (s.text for s in turn.sentences))
        for turn in transcript.turns
    )


def parse_rendered_line(line: str) -> RenderedLine | None:
    """Inverse of render_turn for the Claude simulator and evidence checks; None for any other line.

    The name is matched lazily up to the first ` (role): `, so names with parentheses still parse.
    """
    match = _LINE.fullmatch(line.rstrip("\r\n"))
    if match is None:
        return None
    hours, minutes, seconds, name, role, text = match.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return RenderedLine(seconds=total, name=name, role=SpeakerRole(role), text=text)
