"""Gong-style interaction statistics on hand-built calls with hand-computed answers."""

from __future__ import annotations

import pytest

from coaching_pipeline.transcripts.models import UNIDENTIFIED_SPEAKER_ID, Speaker, SpeakerRole
from coaching_pipeline.transcripts.stats import GONG_GUIDANCE, interaction_stats
from tests.transcripts.factories import SPEAKERS, transcript

# r = rep, c and d = customers, i = internal. Talk: rep 10+10+9.5+8+5.5 = 43 s, customers 30+10+6 = 46 s,
# internal 10 s: 99 s in all. Turns 0-1 are one rep stretch (0-30 s); turns 2-3 one customer stretch
# (31-71 s). Six speaker switches over a 100 s call. Customer-to-rep gaps: 1.0 s and -0.5 s (ignored).
CALL = transcript(
    ("r", [(0, 10_000, "Hi there."), (10_000, 20_000, "How do you currently deploy?")]),
    ("r", [(20_500, 30_000, "Walk me through it.")]),
    ("c", [(31_000, 61_000, "We use Airflow.")]),
    ("d", [(61_000, 71_000, "Why? ")]),
    ("r", [(72_000, 80_000, "Because retries matter?")]),
    ("i", [(80_000, 90_000, "I agree.")]),
    ("c", [(89_000, 95_000, "Okay.")]),
    ("r", [(94_500, 100_000, "Next step？")]),
)


def test_interaction_stats_rep_talk_ratio_is_rep_share_of_all_talk() -> None:
    assert interaction_stats(CALL).rep_talk_ratio == pytest.approx(43 / 99)


def test_interaction_stats_longest_monologue_merges_consecutive_rep_turns() -> None:
    assert interaction_stats(CALL).longest_monologue_seconds == pytest.approx(30.0)


def test_interaction_stats_longest_customer_story_spans_consecutive_customer_turns() -> None:
    assert interaction_stats(CALL).longest_customer_story_seconds == pytest.approx(40.0)


def test_interaction_stats_counts_questions_by_side() -> None:
    stats = interaction_stats(CALL)
    assert (stats.rep_question_count, stats.customer_question_count) == (3, 1)


def test_interaction_stats_interactivity_maps_switches_per_minute_onto_ten() -> None:
    assert interaction_stats(CALL).interactivity == pytest.approx(6 / (100 / 60) * 10 / 8)


def test_interaction_stats_interactivity_is_capped_at_ten() -> None:
    call = transcript(*[("rc"[n % 2], [(n * 1_000, n * 1_000 + 900, "Yes.")]) for n in range(30)])
    assert interaction_stats(call).interactivity == 10.0


def test_interaction_stats_patience_ignores_interruptions() -> None:
    assert interaction_stats(CALL).patience_seconds == pytest.approx(1.0)


def test_interaction_stats_reports_talk_seconds_per_speaker() -> None:
    assert interaction_stats(CALL).speaker_talk_seconds == pytest.approx({"r": 43.0, "c": 36.0, "d": 10.0, "i": 10.0})


def test_interaction_stats_duration_spans_first_to_last_sentence() -> None:
    late_start = transcript(("r", [(5_000, 6_000, "Hi.")]), ("c", [(7_000, 65_000, "Hello.")]))
    assert interaction_stats(late_start).duration_seconds == pytest.approx(60.0)


def test_interaction_stats_without_rep_has_no_ratio_or_patience() -> None:
    speakers = {k: v for k, v in SPEAKERS.items() if k != "r"}
    stats = interaction_stats(transcript(("c", [(0, 5_000, "Hi?")]), ("i", [(6_000, 9_000, "Hi.")]), speakers=speakers))
    assert (stats.rep_talk_ratio, stats.patience_seconds, stats.longest_monologue_seconds) == (
        None,
        None,
        0.0,
    )


def test_interaction_stats_without_customer_gives_the_rep_all_the_talk() -> None:
    stats = interaction_stats(transcript(("r", [(0, 5_000, "Hi.")]), ("i", [(5_000, 10_000, "Hey.")])))
    assert (stats.rep_talk_ratio, stats.longest_customer_story_seconds, stats.patience_seconds) == (
        0.5,
        0.0,
        None,
    )


def test_interaction_stats_of_an_empty_call_are_zero() -> None:
    stats = interaction_stats(transcript())
    assert (stats.rep_talk_ratio, stats.interactivity, stats.duration_seconds) == (None, 0.0, 0.0)


def test_gong_guidance_holds_gongs_published_ranges() -> None:
    assert GONG_GUIDANCE.model_dump() == {
        "talk_ratio_ideal": 0.43,
        "talk_ratio_max": 0.65,
        "longest_monologue_max_seconds": 150.0,
        "discovery_questions_min": 11,
        "discovery_questions_max": 14,
        "interactivity_min": 5.0,
        "patience_min_seconds": 0.6,
        "patience_max_seconds": 1.0,
    }


# The unidentified speaker ("u") talks 20 s between two rep turns: left out of the talk ratio, it still ends the
# rep's monologue and counts as a speaker switch; its question is nobody's.
UNIDENTIFIED = Speaker(speaker_id=UNIDENTIFIED_SPEAKER_ID, name="Unidentified speaker", role=SpeakerRole.UNKNOWN)
WITH_UNIDENTIFIED = transcript(
    ("r", [(0, 10_000, "Hi there.")]),
    (UNIDENTIFIED_SPEAKER_ID, [(10_000, 30_000, "Who just joined?")]),
    ("r", [(30_000, 40_000, "Welcome.")]),
    ("c", [(40_000, 60_000, "Thanks.")]),
    speakers={**SPEAKERS, UNIDENTIFIED_SPEAKER_ID: UNIDENTIFIED},
)


def test_interaction_stats_talk_ratio_leaves_the_unidentified_speaker_out() -> None:
    stats = interaction_stats(WITH_UNIDENTIFIED)
    assert stats.rep_talk_ratio == pytest.approx(20 / 40)
    assert stats.speaker_talk_seconds[UNIDENTIFIED_SPEAKER_ID] == pytest.approx(20.0)


def test_interaction_stats_unidentified_turns_break_monologues_and_count_as_switches() -> None:
    stats = interaction_stats(WITH_UNIDENTIFIED)
    assert stats.longest_monologue_seconds == pytest.approx(10.0)
    assert (stats.rep_question_count, stats.customer_question_count) == (0, 0)
    assert stats.interactivity == pytest.approx(min(10.0, 3 / (60 / 60) * 10 / 8))
