"""Each rep profile shows in transcript text and timing, clearly enough for analysis to tell them apart."""

from __future__ import annotations

from statistics import mean

from coaching_sandbox.corpus import GongCorpus
from tests.sandbox.corpus.talk import DISCOVERY_SIGNALS, talks_for

LAER = (
    ("i hear you", "that's a fair concern", "i understand"),
    ("can you tell me more about", "help me understand", "what's behind"),
    ("customers like", "case study", "for example"),
    ("does that address", "does that answer", "how does that sound"),
)


def test_profiles_label_one_rep_each_and_the_rest_steady(sample: GongCorpus) -> None:
    labels = sorted(sample.profiles.values())
    for special in ("improver", "decliner", "monologuer", "no_discovery", "objection_pro"):
        assert labels.count(special) == 1
    assert labels.count("steady") == len(labels) - 5


def test_monologuer_talks_most_of_the_call_in_long_monologues(sample: GongCorpus) -> None:
    (calls,) = talks_for(sample, "monologuer")
    assert mean(c.rep_share for c in calls) > 0.7
    assert sum(c.longest_rep_run_s >= 240 for c in calls) >= 0.8 * len(calls)


def test_no_discovery_rep_asks_nothing_on_discovery_calls(sample: GongCorpus) -> None:
    (calls,) = talks_for(sample, "no_discovery")
    discovery = [c for c in calls if c.kind == "Discovery"]
    assert discovery and all(c.rep_questions == 0 for c in discovery)
    assert not any(signal in c.rep_text for c in calls for signal in DISCOVERY_SIGNALS)


def test_improver_asks_more_in_the_last_three_weeks(sample: GongCorpus) -> None:
    (calls,) = talks_for(sample, "improver")
    early = [c.rep_questions for c in calls if c.kind == "Discovery" and c.week < 3]
    late = [c.rep_questions for c in calls if c.kind == "Discovery" and c.week >= 10]
    assert early and late and mean(late) >= mean(early) + 5


def test_decliner_asks_less_and_talks_more_by_the_end(sample: GongCorpus) -> None:
    (calls,) = talks_for(sample, "decliner")
    early = [c for c in calls if c.week < 3]
    late = [c for c in calls if c.week >= 10]
    assert mean(c.rep_questions for c in late if c.kind == "Discovery") + 5 <= mean(
        c.rep_questions for c in early if c.kind == "Discovery"
    )
    assert mean(c.rep_share for c in late) >= mean(c.rep_share for c in early) + 0.1


def test_steady_reps_stay_in_moderate_ranges(sample: GongCorpus) -> None:
    for calls in talks_for(sample, "steady"):
        assert all(0.4 <= c.rep_share <= 0.6 for c in calls)
        assert all(8 <= c.rep_questions <= 14 for c in calls if c.kind == "Discovery")


def test_objection_pro_runs_full_laer_on_most_calls(sample: GongCorpus) -> None:
    (calls,) = talks_for(sample, "objection_pro")
    full = [c for c in calls if all(any(p in c.rep_text for p in step) for step in LAER)]
    assert len(full) >= 0.6 * len(calls)
