"""Unit tests of the offline analyzer on small hand-built calls whose right answers are known."""

from __future__ import annotations

from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.analysis.offline.analyzer import OfflineAnalyzer
from coaching_pipeline.analysis.request import AnalysisRequest, Analyzer
from coaching_pipeline.knowledge.models import Criterion, Dimension, KnowledgeDocument, RepRole, Rubric
from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn

REP, CUSTOMER, COLLEAGUE = "100", "200", "300"
SPEAKERS = {
    REP: Speaker(speaker_id=REP, name="Zoë Rep", role=SpeakerRole.REP, user_id="9"),
    CUSTOMER: Speaker(speaker_id=CUSTOMER, name="Søren Buyer", role=SpeakerRole.CUSTOMER),
    COLLEAGUE: Speaker(speaker_id=COLLEAGUE, name="Ian Colleague", role=SpeakerRole.INTERNAL, user_id="8"),
}
KB = [
    KnowledgeDocument(
        document_id="prefect_features",
        product="Prefect Cloud",
        version="1",
        updated="2026-07-01",
        title="Prefect Cloud",
        terms=["work pool", "deployment", "automations", "retries", "RBAC"],
        competitors=["Airflow", "Dagster"],
        body="Example content.",
    )
]


def call(*lines: tuple[str, float, str], words_per_second: float = 2.5) -> Transcript:
    """A transcript from (speaker, start second, text) lines; consecutive lines of one speaker form a turn."""
    turns: list[Turn] = []
    for speaker, start, text in lines:
        end = start + max(1.0, len(text.split()) / words_per_second)
        sentence = Sentence(start_ms=int(start * 1000), end_ms=int(end * 1000), text=text)
        if turns and turns[-1].speaker_id == speaker:
            turns[-1].sentences.append(sentence)
        else:
            turns.append(Turn(index=len(turns), speaker_id=speaker, sentences=[sentence]))
    return Transcript(call_id="1", rep_user_id="9", speakers=SPEAKERS, turns=turns)


def criterion(cid: str, name: str, weight: float, roles: list[RepRole], signals: list[str]) -> Criterion:
    return Criterion(
        id=cid,
        name=name,
        description="What good looks like.",
        weight=weight,
        applies_to=roles,
        anchors={
            "1": "Nothing like it at all.",
            "3": "Some of it, some of the time.",
            "5": "All of it, every time.",
        },
        signals=signals,
        drills=["Practise it on three calls."],
    )


def rubric(dimension: Dimension, *criteria: Criterion) -> Rubric:
    return Rubric(dimension=dimension, version="v1", title="T", method="M", description="D", criteria=list(criteria))


ALL = [RepRole.AE, RepRole.SE, RepRole.CSM]
DISCOVERY = rubric(
    Dimension.DISCOVERY,
    criterion("situation", "Situation and current state", 0.4, ALL, ["walk me through", "how do you currently"]),
    criterion("decision_process", "Decision process", 0.3, [RepRole.AE], ["who else is involved"]),
    criterion("technical_environment", "Technical environment", 0.3, [RepRole.SE], ["how do you currently"]),
)
ENGAGEMENT = rubric(
    Dimension.ENGAGEMENT,
    criterion("talk_ratio", "Talk-to-listen ratio", 0.3, ALL, []),
    criterion("monologue", "Longest monologue", 0.3, ALL, []),
    criterion("next_steps", "Clear next steps", 0.4, ALL, ["next step", "let's schedule", "i'll send"]),
)
OBJECTIONS = rubric(
    Dimension.OBJECTION_HANDLING,
    criterion("acknowledge", "Listen and acknowledge", 0.25, ALL, ["i hear you", "that's a fair concern"]),
    criterion("explore", "Ask and explore", 0.25, ALL, ["help me understand", "what's behind"]),
    criterion("respond", "Respond with evidence", 0.25, ALL, ["customers like", "case study"]),
    criterion("confirm", "Confirm resolution", 0.25, ALL, ["does that address", "how does that sound"]),
)
PRODUCT = rubric(
    Dimension.PRODUCT_KNOWLEDGE,
    criterion("feature_accuracy", "Accurate feature use", 0.5, ALL, ["under the hood"]),
    criterion("competitive_positioning", "Competitive positioning", 0.5, ALL, ["unlike", "compared to"]),
)
RUBRICS = {r.dimension: r for r in (DISCOVERY, ENGAGEMENT, OBJECTIONS, PRODUCT)}

GOOD_CALL = call(
    (REP, 0, "Thanks for joining today."),
    (REP, 3, "Could you walk me through how you currently schedule your pipelines?"),
    (CUSTOMER, 8, "We run Airflow on a big VM and it falls over every week."),
    (CUSTOMER, 14, "Honestly I'm worried a migration off Airflow is too expensive for us."),
    (REP, 20, "I hear you, that's a fair concern."),
    (REP, 23, "Help me understand what's behind the cost worry?"),
    (CUSTOMER, 27, "Mostly the rewrite effort for two hundred DAGs."),
    (REP, 32, "Customers like Acme moved two hundred DAGs in six weeks, there's a case study."),
    (REP, 38, "Unlike Airflow, a Prefect deployment runs on a work pool with retries built in."),
    (REP, 45, "Does that address the concern?"),
    (CUSTOMER, 49, "It does, yes."),
    (REP, 52, "Who else is involved in choosing a tool like this?"),
    (CUSTOMER, 56, "My VP and the platform lead."),
    (REP, 60, "Great, let's schedule a next step with both of them."),
    (REP, 64, "I'll send a recap today."),
)


def analyze(
    dimension: Dimension,
    transcript: Transcript,
    role: RepRole | None = RepRole.AE,
    knowledge: list[KnowledgeDocument] | None = None,
) -> DimensionAnalysis:
    request = AnalysisRequest(
        transcript=transcript,
        dimension=dimension,
        rubric=RUBRICS[dimension],
        knowledge=KB if knowledge is None else knowledge,
        rep_role=role,
        call_type="discovery",
    )
    return OfflineAnalyzer().analyze(request)


def scores(analysis: DimensionAnalysis) -> dict[str, int]:
    return {c.criterion_id: c.score for c in analysis.criterion_scores}


def test_offline_analyzer_is_labelled_offline() -> None:
    analyzer: Analyzer = OfflineAnalyzer()
    assert (analyzer.model, analyzer.kind) == ("offline-heuristic-v1", "offline")


def test_offline_analyzer_is_deterministic() -> None:
    for dimension in Dimension:
        first = analyze(dimension, GOOD_CALL).model_dump_json()
        second = analyze(dimension, Transcript.model_validate_json(GOOD_CALL.model_dump_json())).model_dump_json()
        assert first == second


def test_offline_analysis_ignores_knowledge_and_speaker_order() -> None:
    horizon = KB[0].model_copy(
        update={"document_id": "horizon", "terms": ["MCP gateway", "registry"], "competitors": ["Kong"]}
    )
    shuffled = GOOD_CALL.model_copy(update={"speakers": dict(reversed(GOOD_CALL.speakers.items()))})
    for dimension in Dimension:
        first = analyze(dimension, GOOD_CALL, knowledge=[KB[0], horizon])
        second = analyze(dimension, shuffled, knowledge=[horizon, KB[0]])
        assert first == second


def test_offline_scores_stay_within_one_to_five_on_degenerate_calls() -> None:
    silent_rep = call((CUSTOMER, 0, "Hello?"), (CUSTOMER, 5, "Is anyone there?"))
    rep_only = call((REP, 0, "Let me just talk for a while about Airflow."))
    empty = call()
    for transcript in (silent_rep, rep_only, empty, GOOD_CALL):
        for dimension in Dimension:
            analysis = analyze(dimension, transcript)
            assert 1 <= analysis.overall_score <= 5
            assert all(1 <= c.score <= 5 for c in analysis.criterion_scores)


def test_offline_evidence_quotes_are_verbatim_transcript_sentences() -> None:
    spoken = {(s.text, SPEAKERS[t.speaker_id].name, s.start_ms / 1000) for t in GOOD_CALL.turns for s in t.sentences}
    for dimension in Dimension:
        evidence = analyze(dimension, GOOD_CALL).evidence
        assert evidence, dimension
        for item in evidence:
            assert (item.quote, item.speaker, item.start_seconds) in spoken
            assert item.criterion_id in {c.id for c in RUBRICS[dimension].criteria}


def test_offline_scores_only_criteria_for_the_reps_role() -> None:
    assert set(scores(analyze(Dimension.DISCOVERY, GOOD_CALL, RepRole.AE))) == {
        "situation",
        "decision_process",
    }
    assert set(scores(analyze(Dimension.DISCOVERY, GOOD_CALL, RepRole.SE))) == {
        "situation",
        "technical_environment",
    }
    assert len(scores(analyze(Dimension.DISCOVERY, GOOD_CALL, None))) == 3


def test_offline_overall_is_the_weighted_mean_of_applicable_criteria() -> None:
    analysis = analyze(Dimension.DISCOVERY, GOOD_CALL, RepRole.AE)
    by_id = scores(analysis)
    assert analysis.overall_score == round((0.4 * by_id["situation"] + 0.3 * by_id["decision_process"]) / 0.7, 2)


def test_offline_call_without_objections_scores_neutral() -> None:
    calm = call((REP, 0, "How is the rollout going?"), (CUSTOMER, 4, "Smoothly, the team likes it."))
    analysis = analyze(Dimension.OBJECTION_HANDLING, calm)
    assert set(scores(analysis).values()) == {3}
    assert analysis.overall_score == 3
    assert all("No objections raised" in c.rationale for c in analysis.criterion_scores)


def test_offline_full_laer_reply_scores_top_marks() -> None:
    assert set(scores(analyze(Dimension.OBJECTION_HANDLING, GOOD_CALL)).values()) == {5}


def test_offline_ignored_objection_scores_lowest() -> None:
    ignored = call(
        (CUSTOMER, 0, "We already use Dagster and it's fine."),
        (REP, 5, "Our product has many features."),
        (REP, 9, "It also has a nice logo."),
    )
    assert set(scores(analyze(Dimension.OBJECTION_HANDLING, ignored)).values()) == {1}


def test_offline_long_monologue_is_an_improvement_naming_the_metric() -> None:
    words = " ".join(["orchestration"] * 40)
    monologue = call(*((REP, 16.0 * i, words) for i in range(25)), (CUSTOMER, 400, "Okay."))
    analysis = analyze(Dimension.ENGAGEMENT, monologue)
    assert scores(analysis)["monologue"] == 1
    assert scores(analysis)["talk_ratio"] == 1
    assert any(note.startswith("Longest monologue 6m") and "2m30s" in note for note in analysis.improvements)


def test_offline_next_steps_at_the_close_score_high() -> None:
    assert scores(analyze(Dimension.ENGAGEMENT, GOOD_CALL))["next_steps"] == 5


def test_offline_discovery_without_questions_or_signals_scores_one() -> None:
    pitch = call((REP, 0, "Prefect is great."), (CUSTOMER, 4, "Okay."), (REP, 7, "Let me show you."))
    assert analyze(Dimension.DISCOVERY, pitch).overall_score == 1


def test_offline_discovery_ignores_the_colleagues_questions() -> None:
    colleague = call((COLLEAGUE, 0, "Could you walk me through who else is involved?"), (CUSTOMER, 4, "Sure."))
    assert analyze(Dimension.DISCOVERY, colleague).overall_score == 1


def test_offline_signal_matching_ignores_case_and_curly_apostrophes() -> None:
    curly = call((REP, 0, "WHO ELSE IS INVOLVED, and what’s driving the timing?"), (CUSTOMER, 4, "Our CFO."))
    assert scores(analyze(Dimension.DISCOVERY, curly))["decision_process"] > 1


def test_offline_product_knowledge_rewards_kb_terms_and_positioning() -> None:
    analysis = analyze(Dimension.PRODUCT_KNOWLEDGE, GOOD_CALL)
    assert scores(analysis)["competitive_positioning"] >= 4
    assert "deployment" in analysis.criterion_scores[0].rationale


def test_offline_product_knowledge_without_competitors_is_neutral_on_positioning() -> None:
    plain = call((REP, 0, "A deployment runs on a work pool."), (CUSTOMER, 4, "Nice."))
    assert scores(analyze(Dimension.PRODUCT_KNOWLEDGE, plain))["competitive_positioning"] == 3


def test_offline_kb_terms_match_in_singular_and_plural() -> None:
    plural = call((REP, 0, "Work pools give every deployment retries."), (CUSTOMER, 4, "Nice."))
    rationale = analyze(Dimension.PRODUCT_KNOWLEDGE, plural).criterion_scores[0].rationale
    assert rationale.startswith("3 distinct knowledge-base terms")


def test_offline_competitor_named_without_vendor_prefix_is_recognised() -> None:
    knowledge = [KB[0].model_copy(update={"competitors": ["AWS Step Functions"]})]
    request = AnalysisRequest(
        transcript=call((REP, 0, "Unlike Step Functions, your logic stays in Python."), (CUSTOMER, 5, "Good.")),
        dimension=Dimension.PRODUCT_KNOWLEDGE,
        rubric=PRODUCT,
        knowledge=knowledge,
    )
    assert scores(OfflineAnalyzer().analyze(request))["competitive_positioning"] == 4
