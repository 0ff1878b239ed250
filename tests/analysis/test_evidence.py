"""Quotes survive only when spoken: tolerant matching, true speaker and time, unfound quotes counted."""

from __future__ import annotations

from coaching_pipeline.analysis.evidence import verify_evidence
from coaching_pipeline.analysis.models import Evidence
from tests.analysis.support import transcript

CALL = transcript("call-evidence")


def _quote(text: str, speaker: str = "Riley Rep", start: float = 999) -> Evidence:
    return Evidence(quote=text, speaker=speaker, start_seconds=start)


def test_verify_evidence_tolerates_case_punctuation_and_whitespace() -> None:
    result = verify_evidence([_quote("  WALK me through --  how you currently schedule your data pipelines!")], CALL)
    assert result.unverified == 0 and result.evidence[0].verified


def test_verify_evidence_drops_and_counts_invented_quotes() -> None:
    result = verify_evidence([_quote("We guarantee zero downtime forever"), _quote("I'll send it today")], CALL)
    assert result.unverified == 1 and [e.quote for e in result.evidence] == ["I'll send it today"]


def test_verify_evidence_sets_the_true_start_time_and_speaker() -> None:
    result = verify_evidence([_quote("who else is involved", speaker="Someone Else")], CALL)
    sentence = next(s for t in CALL.turns for s in t.sentences if "Who else is involved" in s.text)
    assert result.evidence[0].start_seconds == sentence.start_ms / 1000
    assert result.evidence[0].speaker == "Riley Rep"


def test_verify_evidence_prefers_the_cited_speakers_turn() -> None:
    twice = transcript("call-twice", repeat=2)
    result = verify_evidence([_quote("mostly yes", speaker="Casey Customer")], twice)
    assert result.evidence[0].speaker == "Casey Customer"


def test_verify_evidence_rejects_a_quote_found_only_inside_longer_words() -> None:
    # The transcript says "Retries are manual": the letters match, the words do not.
    result = verify_evidence([_quote("tries are man", speaker="Casey Customer")], CALL)
    assert result.unverified == 1 and result.evidence == []


def test_verify_evidence_rejects_a_fragment_of_one_word() -> None:
    assert verify_evidence([_quote("irflo")], CALL).unverified == 1


def test_verify_evidence_matches_whole_words_that_differ_in_case_punctuation_and_spacing() -> None:
    result = verify_evidence([_quote("RETRIES -- are\t\n  Manual!", speaker="Casey Customer")], CALL)
    assert result.unverified == 0 and result.evidence[0].verified
