"""Shared pieces of offline scoring: threshold bands onto 1-5, criterion results, signal-phrase scoring."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from coaching_pipeline.analysis.models import Evidence
from coaching_pipeline.analysis.offline.view import CallView, SpokenSentence, matches, quotes, with_phrases
from coaching_pipeline.knowledge.models import Criterion

# A sentence-count band: (minimum count, score), highest minimum first; below every minimum scores 1.
Band = Sequence[tuple[float, int]]

# Signal-phrase hits per call (rep sentences containing any of a criterion's signals).
SIGNAL_HITS_BAND: Band = ((5, 5), (3, 4), (2, 3), (1, 2))


@dataclass
class CriterionResult:
    """One criterion's score with the metric behind it, the quotes that show it and a one-line finding."""

    criterion_id: str
    score: int
    rationale: str
    finding: str
    evidence: list[Evidence] = field(default_factory=list)


def at_least(value: float, band: Band) -> int:
    """The score of the first band whose minimum `value` reaches; 1 when it reaches none."""
    for minimum, score in band:
        if value >= minimum:
            return score
    return 1


def describe(band: Band) -> str:
    """A band as readable thresholds for rationales, e.g. "5+ -> 5, 3+ -> 4, below -> 1"."""
    return ", ".join(f"{minimum:g}+ -> {score}" for minimum, score in band) + ", below -> 1"


def mean_score(scores: Sequence[int]) -> int:
    """Round half up (not Python's banker's rounding), so 3.5 is always 4 whatever the platform."""
    return int(sum(scores) / len(scores) + 0.5)


def about(criterion: Criterion, keys: Sequence[str]) -> bool:
    """Whether a criterion's id or name (not its long description) has a word starting with one of `keys`."""
    words = f"{criterion.id.replace('_', ' ')} {criterion.name}".casefold()
    return any(re.search(rf"(?<!\w){re.escape(key)}", words) for key in keys)


Measure = Callable[[CallView, Criterion], CriterionResult]


def pick_measures(criterion: Criterion, table: Sequence[tuple[tuple[str, ...], Measure]]) -> list[Measure]:
    """Every measure whose keywords appear in the criterion's id or name, in table order."""
    return [measure for keys, measure in table if about(criterion, keys)]


def combine(criterion: Criterion, parts: Sequence[CriterionResult]) -> CriterionResult:
    """A criterion matched by several measures (e.g. "interactivity and patience") averages them."""
    if len(parts) == 1:
        return parts[0]
    return CriterionResult(
        criterion_id=criterion.id,
        score=mean_score([p.score for p in parts]),
        rationale=" ".join(p.rationale for p in parts),
        finding="; ".join(p.finding for p in parts),
        evidence=[e for p in parts for e in p.evidence],
    )


def signal_result(
    criterion: Criterion,
    sentences: Sequence[SpokenSentence],
    *,
    default_signals: Sequence[str] = (),
    band: Band = SIGNAL_HITS_BAND,
    minutes: float | None = None,
) -> CriterionResult:
    """Score a criterion by the rep sentences using its signal phrases: per call (coverage), or per 10
    minutes when `minutes` is given (habits that should recur through a call of any length)."""
    signals = list(criterion.signals) or list(default_signals)
    if not signals:
        return CriterionResult(criterion.id, 3, "No signal phrases or metric for this criterion; neutral 3.", "")
    hits = with_phrases(sentences, signals)
    value = len(hits) * 10 / minutes if minutes else len(hits)
    unit = " per 10 minutes" if minutes else ""
    used = [p for s in hits for p in matches(s, signals)]
    named = ", ".join(f'"{p}"' for p in dict.fromkeys(used)) or "none of its signal phrases"
    finding = f"{criterion.name}: {value:.3g} rep {plural(value, 'sentence')}{unit} using {named}"
    rationale = f"{finding} ({len(hits)} in the call); bands{unit}: {describe(band)}."
    return CriterionResult(criterion.id, at_least(value, band), rationale, finding, quotes(hits[:2], criterion.id))


def plural(count: float, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"
