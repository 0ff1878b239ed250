"""Discovery measures (SPICED + MEDDPICC): how much the rep asks and which discovery areas they cover."""

from __future__ import annotations

from coaching_pipeline.analysis.offline.engagement import questions
from coaching_pipeline.analysis.offline.scale import Band, CriterionResult, about, combine, signal_result
from coaching_pipeline.analysis.offline.view import CallView
from coaching_pipeline.knowledge.models import Criterion

DISCOVERY_SIGNALS = (
    "walk me through",
    "how do you currently",
    "what's the biggest challenge",
    "what happens when",
    "how do you measure",
    "what would it mean",
    "who else is involved",
    "how do you make decisions",
    "what's driving the timing",
    "timeline",
    "tell me more",
    "you mentioned",
    "so what i'm hearing",
)
FOLLOW_UP_SIGNALS = ("tell me more", "you mentioned", "so what i'm hearing")
# Discovery areas are about coverage: asking about the decision process once meets the bar, twice or more
# (with follow-ups) exceeds it.
COVERAGE_BAND: Band = ((4, 5), (2, 4), (1, 3))

# The current-state criterion is where the volume of open questions shows, so it also weighs question count.
QUESTION_KEYS = ("question", "curiosity", "situation", "current state")


def score_discovery(view: CallView, criterion: Criterion) -> CriterionResult:
    defaults = FOLLOW_UP_SIGNALS if about(criterion, ("follow", "listen", "summar")) else DISCOVERY_SIGNALS
    parts = [signal_result(criterion, view.rep_sentences, default_signals=defaults, band=COVERAGE_BAND)]
    if about(criterion, QUESTION_KEYS):
        parts.append(questions(view, criterion))
    return combine(criterion, parts)
