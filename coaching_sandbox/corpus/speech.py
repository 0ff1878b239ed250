"""Turns text into timed Gong transcript entries: ~150 words a minute, short gaps, monotonic milliseconds."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Voice:
    speaker_id: str
    ms_per_word: float  # 360-450 ms: 133-167 words a minute
    is_rep: bool


class Recorder:
    """Lays sentences end to end on the call's clock and keeps the talk-time totals the scenes steer by."""

    def __init__(self, rng: random.Random, start_ms: int) -> None:
        self._rng = rng
        self.t = start_ms  # end of the last sentence spoken
        self.entries: list[dict[str, Any]] = []
        self.rep_ms = 0
        self.other_ms = 0

    def _count(self, voice: Voice, spoken_ms: int) -> None:
        if voice.is_rep:
            self.rep_ms += spoken_ms
        else:
            self.other_ms += spoken_ms

    def _entry(self, voice: Voice, topic: str | None) -> list[dict[str, Any]]:
        """The sentence list to append to: the previous entry's when the same person keeps talking."""
        if self.entries and self.entries[-1]["speakerId"] == voice.speaker_id:
            return self.entries[-1]["sentences"]
        entry = {"speakerId": voice.speaker_id, "topic": topic, "sentences": []}
        self.entries.append(entry)
        return entry["sentences"]

    def say(self, voice: Voice, texts: Sequence[str], topic: str | None, pause_ms: int) -> None:
        if texts:
            self.say_for(voice, _nothing, 0, topic, pause_ms, texts[1:], head=texts[0])

    def say_for(
        self,
        voice: Voice,
        next_text: Callable[[], str],
        seconds: float,
        topic: str | None,
        pause_ms: int,
        tail: Iterable[str] = (),
        head: str | None = None,
    ) -> None:
        """Say `head` (or a first drawn line), keep drawing lines until about `seconds` have passed, then `tail`.

        The hot path of a large corpus (a million sentences): locals only, one draw per length and per gap.
        """
        sentences = self._entry(voice, topic)
        draw, rate = self._rng.random, voice.ms_per_word
        start = self.t + pause_ms
        until = start + int(seconds * 1000)
        spoken = 0
        text = next_text() if head is None else head
        while True:
            length = int((text.count(" ") + 1) * rate * (0.85 + 0.3 * draw())) + 120
            end = start + length
            sentences.append({"start": start, "end": end, "text": text})
            spoken += length
            start = end + 80 + int(draw() * 400)  # a breath between sentences: 80-480 ms
            if end >= until:
                break
            text = next_text()
        for text in tail:
            length = int((text.count(" ") + 1) * rate * (0.85 + 0.3 * draw())) + 120
            end = start + length
            sentences.append({"start": start, "end": end, "text": text})
            spoken += length
            start = end + 80 + int(draw() * 400)
        self.t = end
        self._count(voice, spoken)


def _nothing() -> str:
    raise AssertionError("say() never draws more lines than it was given")
