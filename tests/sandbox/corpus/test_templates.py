"""Template rules that keep profile signals clean: only question categories carry discovery phrases."""

from __future__ import annotations

from coaching_sandbox.corpus.templates import load_templates
from tests.sandbox.corpus.talk import DISCOVERY_SIGNALS

REP_QUESTIONS = ("q.", "laer.ask", "laer.confirm")
# "can you tell me more about" is an objection-handling signal that contains the discovery one "tell me more".
SHARED_SIGNALS = ("laer.ask",)


def test_templates_keep_discovery_signals_in_question_categories() -> None:
    for category, lines in load_templates().items():
        if not category.startswith(("q.", *SHARED_SIGNALS)):
            assert not [text for text, _ in lines if any(s in text.lower() for s in DISCOVERY_SIGNALS)], category


def test_templates_rep_questions_only_in_question_categories() -> None:
    for category, lines in load_templates().items():
        rep_line = category.startswith(("rep.", "laer.", "q.", "colleague."))
        asks = [text for text, _ in lines if text.endswith("?")]
        if rep_line and not category.startswith(REP_QUESTIONS):
            assert not asks, category
        if category.startswith(REP_QUESTIONS):
            assert len(asks) == len(lines), category
