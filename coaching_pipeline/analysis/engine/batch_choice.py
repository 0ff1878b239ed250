"""Whether a run sends its cache misses as Message Batches (half price, results within 24 h) or synchronously.

`COACHING_USE_BATCHES` (or a run's config) says always, never or auto; auto batches a backfill, a run over more
than one day with at least `COACHING_BATCH_MIN_CALLS` calls to analyse, and keeps a day's run synchronous so
fresh calls are scored within minutes. Only Claude has batches: the offline analyzer is free and immediate.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from coaching_pipeline.settings import BatchMode


class BatchChoice(BaseModel):
    """What a run did and why, as the analysis assets' metadata and `coaching run` show it."""

    use_batch: bool
    mode: BatchMode
    reason: str


class BatchPolicy(BaseModel):
    """The setting in force for one run, decided once the run knows its analyzer and calls to analyse."""

    mode: BatchMode = BatchMode.AUTO
    source: str = Field(default="COACHING_USE_BATCHES", description="Where the mode came from, for the reason.")
    days: int = Field(default=1, ge=1, description="Daily partitions the run covers.")
    min_calls: int = Field(default=200, ge=1)

    def choose(self, analyzer_kind: str, calls: int) -> BatchChoice:
        if analyzer_kind != "claude":
            return self._choice(False, "offline analyzer: no batches (free, immediate)")
        if self.mode != BatchMode.AUTO:
            return self._choice(self.mode == BatchMode.ALWAYS, f"{self.mode.value} ({self.source})")
        size = f"{calls} calls to analyse over {self.days} day{'s' if self.days > 1 else ''}"
        if self.days == 1:
            return self._choice(False, f"auto: {size}, a single day stays synchronous")
        if calls < self.min_calls:
            return self._choice(False, f"auto: {size}, below COACHING_BATCH_MIN_CALLS={self.min_calls}")
        return self._choice(True, f"auto: {size}, at least COACHING_BATCH_MIN_CALLS={self.min_calls}")

    def _choice(self, use_batch: bool, reason: str) -> BatchChoice:
        return BatchChoice(use_batch=use_batch, mode=self.mode, reason=reason)


def as_policy(use_batch: bool | BatchPolicy) -> BatchPolicy:
    """A caller's plain yes or no as a policy (always or never); a policy as it is."""
    if isinstance(use_batch, BatchPolicy):
        return use_batch
    return BatchPolicy(mode=BatchMode.ALWAYS if use_batch else BatchMode.NEVER, source="caller")
