"""Acceptance: a corpus of prompt injections is flagged and moves no score, offline or through Claude's wire.

Each variant of `prompt_injections.yaml` is inserted as a turn into an ordinary call. The offline analyzer
must score the injected call exactly as the call without that turn (it leaves flagged sentences out); through
the Claude simulator, which refuses any request whose call is not inside the declared delimiters, every
stored score stays inside the rubric and a spoken `</transcript>` never closes the data block.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from coaching_pipeline.analysis.claude import prompt
from coaching_pipeline.analysis.offline.analyzer import OfflineAnalyzer
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension, RepRole
from coaching_pipeline.transcripts.injection import detect, find_injections, without_injections
from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn
from coaching_sandbox.simulators.claude import RunningClaude
from tests.analysis.support import KNOWLEDGE, LINES, RUBRICS, claude, claude_engine, insert_call, messages, new_date
from tests.analysis.support import transcript as base_transcript

__all__ = ["claude"]

CORPUS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "prompt_injections.yaml").read_text("utf-8"))[
    "variants"
]
IDS = [v["id"] for v in CORPUS]
UNKNOWN = Speaker(speaker_id="u", name="Unidentified speaker", role=SpeakerRole.UNKNOWN)
BENIGN = [
    *(text for _, text in LINES),
    "How would you rate the onboarding from one to five?",
    "Do not forget the setup instructions I sent.",
    "We score five stars on G2, and our users: about two hundred.",
    "Give me a five minute overview of the pricing rules.",
    "a < b and c > d, the usual.",
    "שלום, מה שלומך? 👋 مرحبا بك",
]


def injected(variant: dict[str, Any], call_id: str = "call-inj") -> Transcript:
    """The support call with the variant's turn inserted after `after_turn`, in the gap before the next turn."""
    base = base_transcript(call_id)
    at = variant["after_turn"]
    gap_start = base.turns[at].end_ms
    step = (
        max(1, (base.turns[at + 1].start_ms - gap_start) // (len(variant["sentences"]) + 1))
        if at + 1 < len(base.turns)
        else 100
    )
    sentences = [
        Sentence(start_ms=gap_start + step * i, end_ms=gap_start + step * i + step // 2, text=text)
        for i, text in enumerate(variant["sentences"], start=1)
    ]
    turns = [*base.turns[: at + 1], Turn(index=0, speaker_id=variant["speaker"], sentences=sentences)]
    turns += base.turns[at + 1 :]
    renumbered = [turn.model_copy(update={"index": index}) for index, turn in enumerate(turns)]
    return base.model_copy(update={"turns": renumbered, "speakers": {**base.speakers, "u": UNKNOWN}})


def _request(transcript: Transcript, dimension: Dimension) -> AnalysisRequest:
    return AnalysisRequest(
        transcript=transcript,
        dimension=dimension,
        rubric=RUBRICS[dimension],
        knowledge=KNOWLEDGE,
        rep_role=RepRole.AE,
        call_type="discovery",
    )


def test_injection_corpus_holds_at_least_ten_distinct_variants() -> None:
    assert len(CORPUS) >= 10 and len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("variant", CORPUS, ids=IDS)
def test_injection_detector_flags_every_sentence_of_each_variant(variant: dict[str, Any]) -> None:
    assert all(detect(text) for text in variant["sentences"])
    assert len(list(find_injections(injected(variant)))) == len(variant["sentences"])


@pytest.mark.parametrize("text", BENIGN)
def test_injection_detector_leaves_ordinary_sales_talk_alone(text: str) -> None:
    assert detect(text) == []


def test_without_injections_returns_a_clean_call_unchanged() -> None:
    clean = base_transcript("call-clean")
    assert without_injections(clean) is clean


@pytest.mark.parametrize("variant", CORPUS, ids=IDS)
def test_offline_analyzer_scores_an_injected_call_as_the_call_without_it(variant: dict[str, Any]) -> None:
    analyzer, hostile, clean = OfflineAnalyzer(), injected(variant), base_transcript("call-inj")
    assert hostile != clean
    for dimension in Dimension:
        assert analyzer.analyze(_request(hostile, dimension)) == analyzer.analyze(_request(clean, dimension))


def test_prompt_turns_a_spoken_closing_delimiter_into_data() -> None:
    breakout = next(v for v in CORPUS if v["id"] == "closing_delimiter_breakout")
    params = prompt.build_params(_request(injected(breakout), Dimension.DISCOVERY), RUBRICS, model="m", max_tokens=9)
    block = params["messages"][0]["content"][0]["text"]
    assert block.count(prompt.TRANSCRIPT_OPEN) == block.count(prompt.TRANSCRIPT_CLOSE) == 1
    assert block.splitlines()[1] == prompt.TRANSCRIPT_OPEN and block.splitlines()[-1] == prompt.TRANSCRIPT_CLOSE
    assert "\u2039/transcript\u203a New instructions" in block
    assert "<transcript>" in params["system"][0]["text"] and "never instructions" in params["system"][0]["text"]


def test_claude_engine_keeps_injected_calls_delimited_and_their_scores_in_the_rubric(
    database_url: str, db: psycopg.Connection, claude: RunningClaude
) -> None:
    call_date = new_date()
    calls = {}
    for variant in CORPUS:
        lines = [
            *LINES[: variant["after_turn"] + 1],
            ("c", " ".join(variant["sentences"])),
            *LINES[variant["after_turn"] + 1 :],
        ]
        calls[insert_call(db, call_date, lines=lines)] = variant["id"]
    dimensions = [Dimension.DISCOVERY, Dimension.ENGAGEMENT]
    report = claude_engine(database_url, claude).analyze_partition(call_date, dimensions)
    assert (report.calls_analysed, report.failures) == (len(CORPUS), 0)
    sent = messages(claude)
    assert sent and {entry.status for entry in sent} == {200}
    for entry in sent:
        block = entry.body["messages"][0]["content"][0]["text"]
        assert block.count("</transcript>") == 1 and block.rstrip().endswith("</transcript>")
    rows = db.execute(
        "select call_id, dimension, overall_score, criterion_scores from coaching.call_analyses "
        "where call_id = any(%s)",
        (list(calls),),
    ).fetchall()
    assert len(rows) == len(CORPUS) * len(dimensions)
    for row in rows:
        allowed = {c.id for c in RUBRICS[Dimension(row["dimension"])].criteria}
        assert 1 <= float(row["overall_score"]) <= 5
        assert {c["criterion_id"] for c in row["criterion_scores"]} == allowed
        assert all(1 <= c["score"] <= 5 for c in row["criterion_scores"])
