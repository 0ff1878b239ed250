"""What the simulated model "reads": transcript quotes for evidence, and short coaching prose."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from coaching_pipeline.transcripts.models import SpeakerRole
from coaching_pipeline.transcripts.render import format_timestamp, parse_rendered_line

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MIN_QUOTE_CHARS = 20


@lru_cache(maxsize=1)
def phrases() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "claude_phrases.json").read_text(encoding="utf-8"))


def stable_int(*parts: str) -> int:
    """A hash that is the same in every process (unlike hash()), so replies are reproducible."""
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


@dataclass(frozen=True)
class Quote:
    text: str
    name: str
    seconds: int
    role: SpeakerRole

    @property
    def timestamp(self) -> str:
        return format_timestamp(self.seconds * 1000)


def _trim(text: str, max_chars: int) -> str:
    """A verbatim leading sub-span that fits, cut at a word boundary."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


class TranscriptView:
    """Sentences of the rendered transcript lines found in the user's content, ranked as evidence."""

    def __init__(self, user_text: str, dimension: str | None) -> None:
        quotes: list[Quote] = []
        for raw in user_text.splitlines():
            line = parse_rendered_line(raw)
            if line is None:
                continue
            for sentence in _SENTENCE_END.split(line.text.strip()):
                if sentence:
                    quotes.append(Quote(sentence, line.name, line.seconds, line.role))
        self.quotes = quotes
        body = "\n".join(f"{q.seconds}|{q.name}|{q.text}" for q in quotes) or user_text
        self.seed = hashlib.sha256(f"{dimension}\n{body}".encode()).hexdigest()
        signals = phrases()["signals"].get(dimension or "", [])
        if not signals:
            signals = [s for group in phrases()["signals"].values() for s in group]
        self._tiers = self._rank(quotes, signals)
        self._used: set[tuple[int, str]] = set()

    @staticmethod
    def _rank(quotes: list[Quote], signals: list[str]) -> list[list[Quote]]:
        """Rep sentences with a signal phrase first, then any rep sentence, then anyone's, long ones only."""

        def has_signal(quote: Quote) -> bool:
            lowered = quote.text.lower()
            return any(signal in lowered for signal in signals)

        long = [q for q in quotes if len(q.text) >= _MIN_QUOTE_CHARS] or quotes
        rep = [q for q in long if q.role == SpeakerRole.REP]
        tiers = [[q for q in rep if has_signal(q)], rep, [q for q in long if has_signal(q)], long]
        return [tier for tier in tiers if tier]

    def pick(self, key: str, max_chars: int = 600) -> Quote | None:
        """A quote not used yet in this reply when one is left, chosen by key within the best tier."""
        for tier in self._tiers:
            fresh = [q for q in tier if (q.seconds, q.text) not in self._used]
            if fresh:
                quote = fresh[stable_int(self.seed, key) % len(fresh)]
                self._used.add((quote.seconds, quote.text))
                return Quote(_trim(quote.text, max_chars), quote.name, quote.seconds, quote.role)
        if self.quotes:
            quote = self.quotes[stable_int(self.seed, key) % len(self.quotes)]
            return Quote(_trim(quote.text, max_chars), quote.name, quote.seconds, quote.role)
        return None


class Prose:
    """Short coaching sentences for free-text fields, varied by field path but stable for a transcript."""

    def __init__(self, seed: str, dimension: str | None) -> None:
        self.seed = seed
        self.dimension = dimension if dimension in phrases()["behaviours"] else "general"

    def _choose(self, options: list[str], key: str) -> str:
        return options[stable_int(self.seed, key) % len(options)]

    def behaviour(self, key: str) -> str:
        return self._choose(phrases()["behaviours"][self.dimension], key)

    def rationale(self, key: str, score: int | None, criterion: str | None) -> str:
        level = phrases()["levels"].get(str(score), "Observed") if score is not None else "Observed"
        topic = f" on {criterion.replace('_', ' ')}" if criterion else ""
        return f"{level}{topic}: the rep {self.behaviour(key)}."

    def strength(self, key: str) -> str:
        text = self.behaviour(key)
        return f"The rep {text}."

    def improvement(self, key: str) -> str:
        return self._choose(phrases()["improvements"][self.dimension], key)

    def sentence(self, key: str, field: str) -> str:
        if "improv" in field or "drill" in field or "recommend" in field or "next" in field:
            return self.improvement(key)
        if "strength" in field:
            return self.strength(key)
        label = field.replace("_", " ").strip() or "note"
        return f"{label.capitalize()}: the rep {self.behaviour(key)}."
