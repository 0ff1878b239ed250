"""The analysis cache: one stored result per (transcript, dimension, rubric, prompt, model, redaction policy).

A hit costs nothing and makes no request; every lookup is logged to coaching.cache_events so hit rate and
dollars saved can be queried per run or per day.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import psycopg
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from coaching_pipeline.analysis.engine import queries
from coaching_pipeline.analysis.models import DimensionAnalysis


class CacheKey(BaseModel):
    transcript_sha256: str
    dimension: str
    rubric_version: str
    prompt_version: str
    model: str
    redaction_version: str = "none"

    @property
    def digest(self) -> str:
        """Unredacted keys ("none") keep the digest they had before redaction existed."""
        parts = [self.transcript_sha256, self.dimension, self.rubric_version, self.prompt_version, self.model]
        if self.redaction_version != "none":
            parts.append(self.redaction_version)
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class CachedResult(BaseModel):
    """A verified analysis as stored: evidence already checked, the dropped-quote count kept beside it."""

    analysis: DimensionAnalysis
    unverified_quote_count: int = 0
    analyzer: str
    cost_usd: float = 0.0


class CacheStats(BaseModel):
    hits: int
    misses: int
    hit_rate: float
    saved_usd: float


def lookup(conn: psycopg.Connection, key: CacheKey) -> CachedResult | None:
    row = conn.execute(queries.SELECT_CACHE, {"cache_key": key.digest}).fetchone()
    if row is None:
        return None
    return CachedResult.model_validate({**row["result"], "cost_usd": float(row["cost_usd"])})


def store(conn: psycopg.Connection, key: CacheKey, result: CachedResult, *, ttl_days: int) -> None:
    payload = result.model_dump(mode="json", exclude={"cost_usd"})
    conn.execute(
        queries.UPSERT_CACHE,
        {
            **key.model_dump(),
            "cache_key": key.digest,
            "result": Jsonb(payload),
            "cost_usd": result.cost_usd,
            "ttl_days": ttl_days,
        },
    )


def record_event(
    conn: psycopg.Connection,
    key: CacheKey,
    *,
    call_id: str,
    is_hit: bool,
    saved_usd: float = 0.0,
    run_id: str | None = None,
) -> None:
    conn.execute(
        queries.INSERT_CACHE_EVENT,
        {
            "cache_key": key.digest,
            "call_id": call_id,
            "dimension": key.dimension,
            "model": key.model,
            "is_hit": is_hit,
            "saved_usd": saved_usd,
            "run_id": run_id,
        },
    )


def cache_stats(conn: psycopg.Connection, *, run_id: str | None = None, since: datetime | None = None) -> CacheStats:
    """Hits, misses, hit rate and dollars saved, for one run or since a moment (all time when neither)."""
    row = conn.execute(queries.CACHE_STATS, {"run_id": run_id, "since": since}).fetchone()
    hits, misses = int(row["hits"]), int(row["misses"])
    total = hits + misses
    return CacheStats(
        hits=hits, misses=misses, hit_rate=hits / total if total else 0.0, saved_usd=float(row["saved_usd"])
    )
