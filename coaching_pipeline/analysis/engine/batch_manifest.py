"""What a submitted Message Batch holds, stored with it in coaching.message_batches so any later run collects it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from coaching_pipeline.analysis.claude.resilience import WorkDeferred
from coaching_pipeline.analysis.engine.cache import CacheKey
from coaching_pipeline.knowledge.models import Dimension


class BatchPending(WorkDeferred):
    reason = "batch_pending"


class BatchAbandoned(WorkDeferred):
    reason = "batch_abandoned"


class ManifestItem(BaseModel):
    """One batch request: which (call, dimension) and which part of the transcript it analyses."""

    custom_id: str
    call_id: str
    call_date: date
    dimension: Dimension
    key: CacheKey
    allowed_criteria: list[str]
    part: int
    parts: int
    start_ms: int
    end_ms: int
    weight: int


class Manifest(BaseModel):
    run_id: str
    model: str
    estimate_usd: float
    items: list[ManifestItem]
