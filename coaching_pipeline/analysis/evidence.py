"""Checks every quote the model cites against the transcript; only words actually spoken survive.

Matching ignores case, punctuation and whitespace (models tidy quotes) but respects word boundaries (a quote
found only inside longer words, "act" in "contract", is not verified), requires the quote to sit inside one
turn, and prefers a turn by the cited speaker. A verified quote takes its true speaker and start time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coaching_pipeline.analysis.models import Evidence
from coaching_pipeline.transcripts.models import Transcript

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalize(text: str) -> str:
    """Casefolded words separated by single spaces: apostrophes vanish ("what’s" -> "whats"), every other run
    of punctuation or whitespace becomes one space."""
    return _NON_WORD.sub(" ", text.casefold().replace("’", "'").replace("'", "")).strip()


def find_words(text: str, quote: str) -> int:
    """Where `quote` starts in `text` as whole words (both normalized), or -1. Padding both with a space makes
    every match begin and end at a word boundary; the padded match starts at the space before the quote,
    which is the quote's own offset in the unpadded text."""
    return f" {text} ".find(f" {quote} ")


@dataclass(frozen=True)
class _IndexedTurn:
    speaker_name: str
    text: str
    sentence_offsets: tuple[tuple[int, int], ...]  # (offset in text, start_ms) per sentence


def _index(transcript: Transcript) -> list[_IndexedTurn]:
    indexed = []
    for turn in transcript.turns:
        speaker = transcript.speakers.get(turn.speaker_id)
        parts, offsets, position = [], [], 0
        for sentence in turn.sentences:
            norm = normalize(sentence.text)
            if not norm:
                continue
            offsets.append((position, sentence.start_ms))
            parts.append(norm)
            position += len(norm) + 1
        indexed.append(_IndexedTurn(speaker.name if speaker else turn.speaker_id, " ".join(parts), tuple(offsets)))
    return indexed


def _start_ms(turn: _IndexedTurn, at: int) -> int:
    start = turn.sentence_offsets[0][1]
    for offset, ms in turn.sentence_offsets:
        if offset > at:
            break
        start = ms
    return start


def _locate(quote: str, speaker: str, turns: list[_IndexedTurn]) -> tuple[_IndexedTurn, int] | None:
    wanted = normalize(speaker)
    fallback: tuple[_IndexedTurn, int] | None = None
    for turn in turns:
        at = find_words(turn.text, quote)
        if at < 0:
            continue
        if normalize(turn.speaker_name) == wanted:
            return turn, at
        fallback = fallback or (turn, at)
    return fallback


@dataclass(frozen=True)
class VerificationResult:
    evidence: list[Evidence]
    unverified: int


def verify_evidence(evidence: Sequence[Evidence], transcript: Transcript) -> VerificationResult:
    """Keep quotes found in the transcript (verified, true speaker and time); drop and count the rest."""
    turns = _index(transcript)
    kept: list[Evidence] = []
    seen: set[str] = set()
    unverified = 0
    for item in evidence:
        quote = normalize(item.quote)
        found = _locate(quote, item.speaker, turns) if quote else None
        if found is None:
            unverified += 1
            continue
        if quote in seen:
            continue
        seen.add(quote)
        turn, at = found
        kept.append(
            item.model_copy(
                update={
                    "verified": True,
                    "speaker": turn.speaker_name,
                    "start_seconds": _start_ms(turn, at) / 1000,
                }
            )
        )
    return VerificationResult(kept, unverified)
