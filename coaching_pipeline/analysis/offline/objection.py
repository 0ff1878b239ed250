"""Objection handling (LAER): find customer objections, then look for each LAER step in the rep's reply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coaching_pipeline.analysis.offline.product import Vocabulary
from coaching_pipeline.analysis.offline.scale import Band, CriterionResult, Measure, about, at_least
from coaching_pipeline.analysis.offline.view import CallView, SpokenSentence, matches, quotes
from coaching_pipeline.knowledge.models import Criterion, KnowledgeDocument

# Words customers use to push back. A competitor name alone is not an objection ("we run Airflow today" is
# situation); it is one with a contrast cue ("we already use Dagster", "why would we switch").
OBJECTION_CUES = (
    "expensive",
    "too much",
    "over budget",
    "above what we budgeted",
    "budgets are tight",
    "flat renewal",
    "price increase",
    "percent increase",
    "not sure",
    "worry",
    "worried",
    "concern",
    "concerned",
    "skeptical",
    "hesitant",
    "not convinced",
    "why would we",
    "why should we",
    "why can't",
    "could build",
    "build it ourselves",
    "build our own",
    "lock-in",
    "switching cost",
    "another vendor",
)
COMPETITOR_CONTRAST = ("already", "switch", "why", "instead", "free", "same thing", "retraining")
ACKNOWLEDGE = (
    "i hear you",
    "that's a fair concern",
    "i understand",
    "fair point",
    "i get that",
    "makes sense",
)
EXPLORE = ("can you tell me more about", "help me understand", "what's behind", "tell me more")
RESPOND = ("customers like", "case study", "for example", "for instance", "unlike", "compared to")
CONFIRM = (
    "does that address",
    "does that answer",
    "how does that sound",
    "does that help",
    "would that work",
)
REPLY_WINDOW_MS = 180_000  # the rep's reply to an objection: what they say in the next three minutes
SHARE_BAND: Band = ((1.0, 5), (0.75, 4), (0.5, 3), (0.01, 2))


COMMERCIAL_KEYS = ("commercial", "pric", "renewal", "budget")
COMMERCIAL_CUES = ("price", "pricing", "budget", "expensive", "cost", "renewal", "discount", "contract")


@dataclass(frozen=True)
class Objection:
    """A customer turn that objects: the sentence that raised it, the whole turn, and the rep's reply."""

    raised: SpokenSentence
    turn: tuple[SpokenSentence, ...]
    reply: tuple[SpokenSentence, ...]

    def about(self, cues: Sequence[str]) -> bool:
        return any(matches(s, cues) for s in self.turn)


def find_objections(view: CallView, documents: Sequence[KnowledgeDocument]) -> list[Objection]:
    """One objection per customer turn that pushes back (a cue, or a competitor with a contrast cue); its
    reply is the rep's sentences until the next objection or three minutes later, whichever comes first."""
    competitors = Vocabulary.from_documents(documents).competitors
    raised: list[SpokenSentence] = []
    for sentence in view.customer_sentences:
        objects = bool(matches(sentence, OBJECTION_CUES)) or bool(
            matches(sentence, competitors, plurals=True) and matches(sentence, COMPETITOR_CONTRAST)
        )
        if objects and (not raised or raised[-1].turn_index != sentence.turn_index):
            raised.append(sentence)
    objections = []
    for index, first in enumerate(raised):
        until = first.start_ms + REPLY_WINDOW_MS
        if index + 1 < len(raised):
            until = min(until, raised[index + 1].start_ms)
        turn = tuple(s for s in view.customer_sentences if s.turn_index == first.turn_index)
        reply = tuple(s for s in view.rep_sentences if first.position < s.position and s.start_ms < until)
        objections.append(Objection(first, turn, reply))
    return objections


def _says(sentence: SpokenSentence, phrases: Sequence[str]) -> bool:
    return bool(matches(sentence, phrases))


def _explores(sentence: SpokenSentence, phrases: Sequence[str]) -> bool:
    """Asking is the explore step: an explore phrase, or any question that is not a confirmation check."""
    return _says(sentence, phrases) or (sentence.is_question and not _says(sentence, CONFIRM))


# (keywords in a criterion's id or name, finding template, default phrases)
STEPS: Sequence[tuple[tuple[str, ...], str, tuple[str, ...]]] = (
    (("acknowledg", "listen", "empath"), "Rep acknowledged {n} of {m} {kind}", ACKNOWLEDGE),
    (("explor", "ask", "clarif", "diagnos", "uncover"), "Rep explored {n} of {m} {kind} with a question", EXPLORE),
    (("respond", "evidence", "proof", "reframe"), "Rep answered {n} of {m} {kind} with evidence", RESPOND),
    (("confirm", "check", "resolution"), "Rep confirmed resolution of {n} of {m} {kind}", CONFIRM),
)
SIGNALS_ONLY = "Rep replied with the criterion's signal phrases to {n} of {m} {kind}"
SHARE_BANDS_TEXT = "all -> 5, 75%+ -> 4, 50%+ -> 3, some -> 2, none -> 1"


def _neutral(criterion: Criterion, why: str) -> CriterionResult:
    return CriterionResult(criterion.id, 3, f"{why}; neutral 3.", "")


def objection_scorer(view: CallView, documents: Sequence[KnowledgeDocument]) -> Measure:
    """Find the call's objections once, then score each criterion as the share of them its step appears in.

    Evidence is the rep's words that show the step; when the step is missing, the objection left without it.
    """
    objections = find_objections(view, documents)

    def score(_: CallView, criterion: Criterion) -> CriterionResult:
        if not objections:
            return _neutral(criterion, "No objections raised by the customer")
        pool, kind = objections, "objections"
        if about(criterion, COMMERCIAL_KEYS):
            pool, kind = [o for o in objections if o.about(COMMERCIAL_CUES)], "commercial objections"
            if not pool:
                return _neutral(criterion, "No commercial objections (price, budget, renewal) raised")
        step = next((s for s in STEPS if about(criterion, s[0])), None)
        template = step[1] if step else SIGNALS_ONLY
        phrases = tuple(criterion.signals) or (step[2] if step else ())
        if not phrases:
            return _neutral(criterion, "No LAER step or signal phrases for this criterion")
        test = _explores if step is STEPS[1] else _says
        shown = [next((s for s in o.reply if test(s, phrases)), None) for o in pool]
        handled = [s for s in shown if s is not None]
        missed = [o.raised for o, s in zip(pool, shown, strict=True) if s is None]
        finding = template.format(n=len(handled), m=len(pool), kind=kind)
        rationale = f"{finding} (LAER); share bands: {SHARE_BANDS_TEXT}."
        evidence = quotes([*handled[:1], *missed[:1]], criterion.id)
        return CriterionResult(
            criterion.id, at_least(len(handled) / len(pool), SHARE_BAND), rationale, finding, evidence
        )

    return score
