"""Product-knowledge measures: knowledge-base terms the rep uses, competitive positioning, technical depth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from coaching_pipeline.analysis.offline.scale import (
    Band,
    CriterionResult,
    Measure,
    at_least,
    combine,
    describe,
    pick_measures,
    signal_result,
)
from coaching_pipeline.analysis.offline.view import CallView, matches, quotes, with_phrases
from coaching_pipeline.knowledge.models import Criterion, KnowledgeDocument

PRODUCT_SIGNALS = (
    "that's exactly what",
    "this solves",
    "under the hood",
    "for example",
    "unlike",
    "compared to",
)
DEFAULT_COMPETITORS = ("Airflow", "Astronomer", "Dagster", "Temporal", "Step Functions")
POSITIONING_CUES = (
    "unlike",
    "compared to",
    "compared with",
    "versus",
    "vs",
    "whereas",
    "instead of",
    "different from",
)
DISTINCT_TERMS_BAND: Band = ((12, 5), (8, 4), (5, 3), (2, 2))
TERMS_PER_10_MIN_BAND: Band = ((20, 5), (12, 4), (6, 3), (2, 2))
SIGNALS_PER_10_MIN_BAND: Band = ((3, 5), (2, 4), (1, 3), (0.4, 2))


@dataclass(frozen=True)
class Vocabulary:
    """The knowledge base reduced to what the rep's words are checked against, sorted for determinism."""

    terms: tuple[str, ...]
    competitors: tuple[str, ...]

    @classmethod
    def from_documents(cls, documents: Sequence[KnowledgeDocument]) -> Vocabulary:
        terms = sorted({t for d in documents for t in d.terms if t.strip()}, key=str.casefold)
        named = [c for d in documents for c in d.competitors if c.strip()] or list(DEFAULT_COMPETITORS)
        competitors = sorted({alias for c in named for alias in _aliases(c)}, key=str.casefold)
        return cls(tuple(terms), tuple(competitors))


def _aliases(competitor: str) -> list[str]:
    """People say "Step Functions" for "AWS Step Functions" and "an API gateway" for "generic API gateways"."""
    words = competitor.split()
    if len(words) > 1 and (words[0].isupper() or words[0].casefold() == "generic"):
        return [competitor, " ".join(words[1:])]
    return [competitor]


def kb_terms(vocabulary: Vocabulary, view: CallView, criterion: Criterion) -> CriterionResult:
    used: list[str] = []
    first_use = []
    for sentence in view.rep_sentences:
        new = [t for t in matches(sentence, vocabulary.terms, plurals=True) if t not in used]
        if new:
            used.extend(new)
            first_use.append(sentence)
    score = at_least(len(used), DISTINCT_TERMS_BAND)
    shown = ", ".join(used[:8]) or "none"
    finding = f"{len(used)} distinct knowledge-base terms used by the rep"
    rationale = f"{finding} ({shown}); bands: {describe(DISTINCT_TERMS_BAND)}."
    return CriterionResult(criterion.id, score, rationale, finding, quotes(first_use[:2], criterion.id))


def term_density(vocabulary: Vocabulary, view: CallView, criterion: Criterion) -> CriterionResult:
    mentions = sum(len(matches(s, vocabulary.terms, plurals=True)) for s in view.rep_sentences)
    rate = mentions * 10 / view.minutes
    score = at_least(rate, TERMS_PER_10_MIN_BAND)
    finding = f"{rate:.1f} product-term mentions per 10 minutes"
    rationale = f"{finding} ({mentions} in the call); bands: {describe(TERMS_PER_10_MIN_BAND)}."
    return CriterionResult(criterion.id, score, rationale, finding)


def positioning(vocabulary: Vocabulary, view: CallView, criterion: Criterion) -> CriterionResult:
    raised = with_phrases(view.sentences, vocabulary.competitors, plurals=True)
    if not raised:
        return CriterionResult(criterion.id, 3, "No competitor came up in the call; neutral 3.", "")
    named = with_phrases(view.rep_sentences, vocabulary.competitors, plurals=True)
    positioned = [s for s in named if matches(s, POSITIONING_CUES)]
    score = at_least(len(positioned), ((2, 5), (1, 4))) if positioned else (2 if named else 1)
    finding = f"{len(positioned)} rep sentences positioning against competitors raised in the call"
    rationale = (
        f"Competitors came up in {len(raised)} sentences; the rep named them in {len(named)} and positioned "
        f'("unlike", "compared to", ...) in {len(positioned)}; 2+ -> 5, 1 -> 4, named only -> 2, else 1.'
    )
    shown = (positioned or named or raised)[:2]
    return CriterionResult(criterion.id, score, rationale, finding, quotes(shown, criterion.id))


def signals(view: CallView, criterion: Criterion) -> CriterionResult:
    return signal_result(
        criterion,
        view.rep_sentences,
        default_signals=PRODUCT_SIGNALS,
        band=SIGNALS_PER_10_MIN_BAND,
        minutes=view.minutes,
    )


def product_knowledge_scorer(documents: Sequence[KnowledgeDocument]) -> Measure:
    """Built once per analysis so the knowledge base is reduced to a vocabulary once, not per criterion."""
    vocabulary = Vocabulary.from_documents(documents)
    table: Sequence[tuple[tuple[str, ...], Measure]] = (
        (("accura", "term", "fluen", "vocabular"), partial(kb_terms, vocabulary)),
        (("compet", "differentiat", "position", "alternative"), partial(positioning, vocabulary)),
        (("technical", "depth", "architect"), partial(term_density, vocabulary)),
        (("technical", "depth", "architect"), signals),
    )

    def score(view: CallView, criterion: Criterion) -> CriterionResult:
        parts = [measure(view, criterion) for measure in pick_measures(criterion, table)]
        return combine(criterion, parts) if parts else signals(view, criterion)

    return score
