"""Dialogue lines from templates.yaml, filled from a call's context and dealt like cards to avoid repeats."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import yaml
from pydantic import RootModel


class _Templates(RootModel[dict[str, list[str]]]):
    pass


@cache
def load_templates() -> dict[str, tuple[tuple[str, bool], ...]]:
    """Category -> (template, has_slots); the flag spares str.format on plain lines (most of them)."""
    text = Path(__file__).with_name("templates.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    parsed = _Templates.model_validate(raw).root
    return {name: tuple((line, "{" in line) for line in lines) for name, lines in parsed.items()}


class Slots(dict[str, str]):
    """A call's fixed context; a key it lacks (per-sentence vocabulary such as {feature}) is drawn each time."""

    def __init__(self, fixed: Mapping[str, str], draws: Mapping[str, Sequence[str]], rng: random.Random) -> None:
        super().__init__(fixed)
        self._draws = draws
        self._rng = rng
        self._last = ""

    def __missing__(self, key: str) -> str:
        options = self._draws[key.rstrip("0123456789")]
        value = options[int(self._rng.random() * len(options))]
        if value == self._last and len(options) > 1:
            value = options[(options.index(value) + 1) % len(options)]
        self._last = value
        return value


class Phrasebook:
    """Deals each category's lines in a shuffled order, reshuffling once all have been used in this call."""

    def __init__(self, rng: random.Random, slots: Slots) -> None:
        self._rng = rng
        self._slots = slots
        self._templates = load_templates()
        self._decks: dict[str, list[int]] = {}

    def _deal(self, category: str) -> int:
        deck = self._decks.get(category)
        if not deck:
            deck = list(range(len(self._templates[category])))
            draw = self._rng.random
            for i in range(len(deck) - 1, 0, -1):  # Fisher-Yates; random.shuffle costs several times more
                j = int(draw() * (i + 1))
                deck[i], deck[j] = deck[j], deck[i]
            self._decks[category] = deck
        return deck.pop()

    def _render(self, category: str, index: int) -> str:
        text, has_slots = self._templates[category][index]
        return text.format_map(self._slots) if has_slots else text

    def line(self, category: str) -> str:
        deck = self._decks.get(category)
        text, has_slots = self._templates[category][deck.pop() if deck else self._deal(category)]
        return text.format_map(self._slots) if has_slots else text

    def pair(self, first: str, second: str) -> tuple[str, str]:
        """Two lines at the same position of two aligned categories (a customer question and its answer)."""
        index = self._deal(first)
        return self._render(first, index), self._render(second, index)
