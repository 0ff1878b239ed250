"""A flat, ordered view of a call's sentences for the offline analyzer: who said what and when, matching."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from coaching_pipeline.analysis.models import Evidence
from coaching_pipeline.transcripts.models import SpeakerRole, Transcript
from coaching_pipeline.transcripts.stats import QUESTION_MARKS, InteractionStats, interaction_stats

_QUOTE_LIMIT = 600
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


class SpokenSentence(NamedTuple):
    """One transcript sentence with its speaker resolved; `folded` is the text used for matching only.

    A NamedTuple because a long call has thousands of them and they are built once per analysis.
    """

    position: int
    turn_index: int
    speaker_name: str
    role: SpeakerRole
    start_ms: int
    end_ms: int
    text: str
    folded: str

    @property
    def is_question(self) -> bool:
        return self.text.rstrip().endswith(QUESTION_MARKS)


@dataclass(frozen=True)
class CallView:
    """Everything a dimension scorer reads about one call, computed once per analysis."""

    transcript: Transcript
    sentences: tuple[SpokenSentence, ...]
    call_type: str | None

    @cached_property
    def stats(self) -> InteractionStats:
        """Gong-style numbers from transcripts/stats.py, computed once and only when a measure needs them."""
        return interaction_stats(self.transcript)

    @cached_property
    def rep_sentences(self) -> tuple[SpokenSentence, ...]:
        return tuple(s for s in self.sentences if s.role == SpeakerRole.REP)

    @cached_property
    def customer_sentences(self) -> tuple[SpokenSentence, ...]:
        return tuple(s for s in self.sentences if s.role == SpeakerRole.CUSTOMER)

    @property
    def minutes(self) -> float:
        """Call length for per-10-minute rates; at least one minute so short calls never divide by ~0."""
        return max(1.0, self.stats.duration_seconds / 60.0)

    @property
    def is_discovery(self) -> bool:
        return (self.call_type or "").lower() == "discovery"


def fold(text: str) -> str:
    """Case- and apostrophe-insensitive form, so "What’s" in a transcript matches the signal "what's"."""
    return text.translate(_APOSTROPHES).casefold()


def build_view(transcript: Transcript, call_type: str | None) -> CallView:
    sentences: list[SpokenSentence] = []
    for turn in transcript.turns:
        speaker = transcript.speakers.get(turn.speaker_id)
        name = speaker.name if speaker else turn.speaker_id
        role = speaker.role if speaker else SpeakerRole.UNKNOWN
        for sentence in turn.sentences:
            if not sentence.text.strip():
                continue
            sentences.append(
                SpokenSentence(
                    position=len(sentences),
                    turn_index=turn.index,
                    speaker_name=name,
                    role=role,
                    start_ms=sentence.start_ms,
                    end_ms=sentence.end_ms,
                    text=sentence.text,
                    folded=fold(sentence.text),
                )
            )
    return CallView(transcript=transcript, sentences=tuple(sentences), call_type=call_type)


def singular(phrase: str) -> str:
    """The folded singular of a term's last word ("work pools" -> "work pool", "retries" -> "retry")."""
    phrase = fold(phrase).strip()
    if phrase.endswith("ies") and len(phrase) > 4:
        return phrase[:-3] + "y"
    if phrase.endswith("s") and not phrase.endswith(("ss", "us", "is")) and len(phrase) > 3:
        return phrase[:-1]
    return phrase


def _alternative(phrase: str, plurals: bool) -> str:
    if not plurals:
        return re.escape(phrase)
    stem = singular(phrase)
    if stem.endswith("y"):
        return re.escape(stem[:-1]) + "(?:y|ies)"
    return re.escape(stem) + "(?:s|es)?"


@lru_cache(maxsize=256)
def phrase_pattern(phrases: tuple[str, ...], plurals: bool = False) -> re.Pattern[str] | None:
    """One alternation per phrase list, bounded by non-word characters so "sso" never matches inside "lesson".

    Longer phrases come first so "follow up" wins over "follow"; with `plurals` a KB term matches in the
    singular and the plural ("work pools" also finds "work pool", "retries" finds "retry").
    """
    cleaned = sorted({fold(p).strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    if not cleaned:
        return None
    body = "|".join(_alternative(p, plurals) for p in cleaned)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def matches(sentence: SpokenSentence, phrases: Sequence[str], *, plurals: bool = False) -> list[str]:
    """The distinct phrases a sentence contains, folded (and singular with `plurals`), in order of appearance."""
    pattern = phrase_pattern(tuple(phrases), plurals)
    if pattern is None:
        return []
    found: list[str] = []
    for hit in pattern.findall(sentence.folded):
        name = singular(hit) if plurals else hit
        if name not in found:
            found.append(name)
    return found


def with_phrases(
    sentences: Iterable[SpokenSentence], phrases: Sequence[str], *, plurals: bool = False
) -> list[SpokenSentence]:
    pattern = phrase_pattern(tuple(phrases), plurals)
    return [s for s in sentences if pattern.search(s.folded)] if pattern else []


def quote(sentence: SpokenSentence, criterion_id: str) -> Evidence:
    """Evidence is a whole transcript sentence (its leading words when very long), so it is verbatim."""
    text = sentence.text.strip()
    if len(text) > _QUOTE_LIMIT:
        text = text[:_QUOTE_LIMIT].rsplit(" ", 1)[0] or text[:_QUOTE_LIMIT]
    return Evidence(
        quote=text,
        speaker=sentence.speaker_name,
        start_seconds=sentence.start_ms / 1000.0,
        criterion_id=criterion_id,
    )


def clock(seconds: float) -> str:
    """`6m12s` style durations for strengths and improvements."""
    whole = round(seconds)
    return f"{whole // 60}m{whole % 60:02d}s"


def quotes(sentences: Iterable[SpokenSentence], criterion_id: str) -> list[Evidence]:
    return [quote(s, criterion_id) for s in sentences]
