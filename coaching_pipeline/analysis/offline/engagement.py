"""Engagement measures: Gong's interaction benchmarks (talk ratio, monologues, questions, patience)."""

from __future__ import annotations

from collections.abc import Sequence

from coaching_pipeline.analysis.offline.scale import (
    Band,
    CriterionResult,
    Measure,
    at_least,
    combine,
    pick_measures,
    plural,
    signal_result,
)
from coaching_pipeline.analysis.offline.view import CallView, SpokenSentence, clock, quote, quotes, with_phrases
from coaching_pipeline.knowledge.models import Criterion
from coaching_pipeline.transcripts.models import SpeakerRole

NEXT_STEP_SIGNALS = ("next step", "let's schedule", "i'll send", "follow up")
CHECK_IN_SIGNALS = ("does that make sense", "what do you think")
MONOLOGUE_BAND: Band = ((-150, 5), (-210, 4), (-270, 3), (-360, 2))  # negated seconds: shorter is better
DISCOVERY_QUESTIONS = {5: (11, 14), 4: (8, 18), 3: (5, 24), 2: (2, 10_000)}  # inclusive count ranges
QUESTIONS_PER_10_MIN: Band = ((1.5, 5), (1.0, 4), (0.6, 3), (0.3, 2))
INTERACTIVITY_BAND: Band = ((5, 5), (4, 4), (3, 3), (2, 2))
STORY_BAND: Band = ((120, 5), (90, 4), (60, 3), (30, 2))
TALK_RATIO = {5: (0.35, 0.52), 4: (0.28, 0.58), 3: (0.20, 0.65), 2: (0.0, 0.72)}
PATIENCE = {5: (0.6, 1.0), 4: (0.4, 1.5), 3: (0.25, 2.0), 2: (0.1, 3.0)}
CLOSING_SHARE = 0.75  # next steps count as "clear" when agreed in the last quarter of the call


def _in_range(value: float, ranges: dict[int, tuple[float, float]]) -> int:
    for score in sorted(ranges, reverse=True):
        low, high = ranges[score]
        if low <= value <= high:
            return score
    return 1


def _longest_rep_stretch(view: CallView) -> SpokenSentence | None:
    """First sentence of the rep's longest uninterrupted stretch: the quote that shows a monologue."""
    best: tuple[int, SpokenSentence] | None = None
    start: SpokenSentence | None = None
    for index, sentence in enumerate(view.sentences):
        if sentence.role != SpeakerRole.REP:
            start = None
            continue
        start = start or sentence
        following = view.sentences[index + 1] if index + 1 < len(view.sentences) else None
        if following is None or following.role != SpeakerRole.REP:
            length = sentence.end_ms - start.start_ms
            if best is None or length > best[0]:
                best = (length, start)
    return best[1] if best else None


def _stretch_evidence(view: CallView, criterion: Criterion) -> list:
    first = _longest_rep_stretch(view)
    return [quote(first, criterion.id)] if first else []


def talk_ratio(view: CallView, criterion: Criterion) -> CriterionResult:
    ratio = view.stats.rep_talk_ratio
    if ratio is None:
        return CriterionResult(criterion.id, 3, "No talk time recorded for the rep; neutral 3.", "")
    score = _in_range(ratio, TALK_RATIO)
    finding = f"Rep talk ratio {ratio:.0%} vs Gong's 43% ideal (65% max)"
    rationale = f"{finding}; bands: 35-52% -> 5, 28-58% -> 4, 20-65% -> 3, up to 72% -> 2, above -> 1."
    return CriterionResult(criterion.id, score, rationale, finding, _stretch_evidence(view, criterion))


def monologue(view: CallView, criterion: Criterion) -> CriterionResult:
    seconds = view.stats.longest_monologue_seconds or 0.0
    score = at_least(-seconds, MONOLOGUE_BAND)
    finding = f"Longest monologue {clock(seconds)} vs Gong's 2m30s guidance"
    rationale = f"{finding}; bands: <=2m30s -> 5, <=3m30s -> 4, <=4m30s -> 3, <=6m -> 2, longer -> 1."
    return CriterionResult(criterion.id, score, rationale, finding, _stretch_evidence(view, criterion))


def questions(view: CallView, criterion: Criterion) -> CriterionResult:
    asked = [s for s in view.rep_sentences if s.is_question]
    count = view.stats.rep_question_count
    if view.is_discovery:
        score = _in_range(count, DISCOVERY_QUESTIONS)
        finding = f"{count} rep {plural(count, 'question')} vs Gong's 11-14 on discovery calls"
        bands = "11-14 -> 5, 8-18 -> 4, 5-24 -> 3, 2+ -> 2, 0-1 -> 1"
    else:
        rate = count * 10 / view.minutes
        score = at_least(rate, QUESTIONS_PER_10_MIN)
        finding = f"{count} rep {plural(count, 'question')} ({rate:.1f} per 10 minutes)"
        bands = "per 10 minutes: 1.5+ -> 5, 1.0+ -> 4, 0.6+ -> 3, 0.3+ -> 2, less -> 1"
    rationale = f"{finding}; bands: {bands}."
    return CriterionResult(criterion.id, score, rationale, finding, quotes(asked[:2], criterion.id))


def interactivity(view: CallView, criterion: Criterion) -> CriterionResult:
    value = view.stats.interactivity or 0.0
    score = at_least(value, INTERACTIVITY_BAND)
    finding = f"Interactivity {value:.1f} vs Gong's 5+ guidance"
    rationale = f"{finding} (0-10 scale of speaker switches); bands: 5+ -> 5, 4+ -> 4, 3+ -> 3, 2+ -> 2."
    checks = with_phrases(view.rep_sentences, CHECK_IN_SIGNALS)
    return CriterionResult(criterion.id, score, rationale, finding, quotes(checks[:1], criterion.id))


def patience(view: CallView, criterion: Criterion) -> CriterionResult:
    pause = view.stats.patience_seconds
    if pause is None:
        return CriterionResult(criterion.id, 3, "The rep never answered a customer turn; neutral 3.", "")
    score = _in_range(pause, PATIENCE)
    finding = f"Patience {pause:.2f}s before answering vs Gong's 0.6-1.0s"
    rationale = f"{finding}; bands: 0.6-1.0s -> 5, 0.4-1.5s -> 4, 0.25-2.0s -> 3, 0.1-3.0s -> 2."
    return CriterionResult(criterion.id, score, rationale, finding)


def customer_story(view: CallView, criterion: Criterion) -> CriterionResult:
    seconds = view.stats.longest_customer_story_seconds or 0.0
    score = at_least(seconds, STORY_BAND)
    finding = f"Longest customer story {clock(seconds)} (longer is better)"
    rationale = f"{finding}; bands: 2m+ -> 5, 1m30s+ -> 4, 1m+ -> 3, 30s+ -> 2."
    return CriterionResult(criterion.id, score, rationale, finding)


def next_steps(view: CallView, criterion: Criterion) -> CriterionResult:
    signals = list(criterion.signals) or list(NEXT_STEP_SIGNALS)
    hits = with_phrases(view.rep_sentences, signals)
    closing_ms = view.sentences[-1].end_ms * CLOSING_SHARE if view.sentences else 0
    closing = [s for s in hits if s.start_ms >= closing_ms]
    score = at_least(len(closing), ((2, 5), (1, 4))) if closing else at_least(len(hits), ((2, 3), (1, 2)))
    finding = (
        f"{len(closing)} next-step {plural(len(closing), 'commitment')} in the last quarter of the call"
        f" ({len(hits)} overall)"
    )
    rationale = f"{finding}; 2+ at the close -> 5, 1 -> 4, only earlier: 2+ -> 3, 1 -> 2, none -> 1."
    shown = (closing or hits)[-2:]
    return CriterionResult(criterion.id, score, rationale, finding, quotes(shown, criterion.id))


MEASURES: Sequence[tuple[tuple[str, ...], Measure]] = (
    (("talk", "ratio", "listen"), talk_ratio),
    (("monologue",), monologue),
    (("question",), questions),
    (("interactiv", "back and forth", "dialog"), interactivity),
    (("patien", "pause"), patience),
    (("story", "stories"), customer_story),
    (("next step", "close", "commit", "follow"), next_steps),
)


def score_engagement(view: CallView, criterion: Criterion) -> CriterionResult:
    parts = [measure(view, criterion) for measure in pick_measures(criterion, MEASURES)]
    if not parts:
        return signal_result(criterion, view.rep_sentences, default_signals=NEXT_STEP_SIGNALS + CHECK_IN_SIGNALS)
    return combine(criterion, parts)
