"""When a run sends its analyses as Message Batches, and the reason it gives."""

from __future__ import annotations

from coaching_pipeline.analysis.engine.batch_choice import BatchPolicy
from coaching_pipeline.settings import BatchMode


def test_auto_batches_a_backfill_from_the_threshold() -> None:
    choice = BatchPolicy(mode=BatchMode.AUTO, days=14, min_calls=200).choose("claude", 200)
    assert choice.use_batch
    assert choice.reason == "auto: 200 calls to analyse over 14 days, at least COACHING_BATCH_MIN_CALLS=200"


def test_auto_stays_synchronous_below_the_threshold() -> None:
    assert not BatchPolicy(mode=BatchMode.AUTO, days=14, min_calls=200).choose("claude", 199).use_batch


def test_auto_keeps_a_single_day_synchronous_however_many_calls() -> None:
    choice = BatchPolicy(mode=BatchMode.AUTO, days=1, min_calls=10).choose("claude", 500)
    assert not choice.use_batch and "single day" in choice.reason


def test_always_and_never_decide_whatever_the_size() -> None:
    always = BatchPolicy(mode=BatchMode.ALWAYS, source="this run's config").choose("claude", 1)
    never = BatchPolicy(mode=BatchMode.NEVER, days=90, min_calls=1).choose("claude", 10_000)
    assert (always.use_batch, always.reason, never.use_batch) == (True, "always (this run's config)", False)


def test_the_offline_analyzer_never_batches_and_says_so() -> None:
    choice = BatchPolicy(mode=BatchMode.ALWAYS).choose("offline", 1_000)
    assert not choice.use_batch and choice.reason.startswith("offline analyzer: no batches")
