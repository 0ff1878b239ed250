"""Writes a call's current analyses (coaching.call_analyses), failures (coaching.analysis_failures) and skips
(coaching.analysis_skips); deferred work and its later completion are also pipeline events (work_deferred,
work_resumed)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from coaching_pipeline.analysis.engine import queries
from coaching_pipeline.analysis.engine.cache import CachedResult, CacheKey
from coaching_pipeline.analysis.engine.scopes import CallSkip
from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event


class CallRef(BaseModel):
    """The call-level facts an analysis row carries besides the analysis itself."""

    call_id: str
    call_date: date
    rep_user_id: str | None = None


def save_analysis(
    conn: psycopg.Connection, call: CallRef, key: CacheKey, result: CachedResult, *, run_id: str | None = None
) -> None:
    """Upsert on (call, dimension, rubric version): reruns replace, never duplicate; clears failures."""
    analysis = result.analysis
    conn.execute(
        queries.UPSERT_CALL_ANALYSIS,
        {
            "call_id": call.call_id,
            "dimension": key.dimension,
            "rubric_version": key.rubric_version,
            "prompt_version": key.prompt_version,
            "model": key.model,
            "analyzer": result.analyzer,
            "cache_key": key.digest,
            "transcript_sha256": key.transcript_sha256,
            "call_date": call.call_date,
            "rep_user_id": call.rep_user_id,
            "overall_score": round(analysis.overall_score, 2),
            "criterion_scores": Jsonb([c.model_dump(mode="json") for c in analysis.criterion_scores]),
            "strengths": Jsonb(analysis.strengths),
            "improvements": Jsonb(analysis.improvements),
            "evidence": Jsonb([e.model_dump(mode="json") for e in analysis.evidence]),
            "evidence_count": len(analysis.evidence),
            "unverified_quote_count": result.unverified_quote_count,
        },
    )
    cleared = conn.execute(
        queries.DELETE_FAILURE,
        {"call_id": call.call_id, "dimension": key.dimension, "rubric_version": key.rubric_version},
    ).fetchone()
    if cleared is not None and cleared["status"] == "deferred":
        record_pipeline_event(
            conn,
            "work_resumed",
            event_key=f"work_resumed:{call.call_id}:{key.dimension}:{key.rubric_version}:"
            f"{cleared['recorded_at'].isoformat()}",
            run_id=run_id,
            call_id=call.call_id,
            dimension=key.dimension,
            detail={"deferred_reason": cleared["reason"], "deferred_at": cleared["recorded_at"].isoformat()},
        )


def record_failure(
    conn: psycopg.Connection,
    call: CallRef,
    dimension: str,
    rubric_version: str,
    *,
    status: Literal["failed", "deferred"],
    reason: str,
    detail: dict[str, Any] | None = None,
    run_id: str | None = None,
) -> None:
    """`failed` needs a person (bad replies); `deferred` is picked up by the next run (circuit, spend cap)."""
    if status == "deferred":
        record_pipeline_event(
            conn,
            "work_deferred",
            event_key=f"work_deferred:{run_id}:{call.call_id}:{dimension}:{rubric_version}" if run_id else None,
            run_id=run_id,
            call_id=call.call_id,
            dimension=dimension,
            detail={"reason": reason, "rubric_version": rubric_version},
        )
    conn.execute(
        queries.UPSERT_FAILURE,
        {
            "call_id": call.call_id,
            "dimension": dimension,
            "rubric_version": rubric_version,
            "status": status,
            "reason": reason,
            "detail": Jsonb(detail or {}),
            "call_date": call.call_date,
        },
    )


def record_skips(conn: psycopg.Connection, skipped: list[tuple[CallRef, CallSkip]], analysed: list[str]) -> None:
    """The run's decision per call: a skip row for each skipped call, none for the calls it analyses (a call
    skipped before the setting changed loses its row). Upserts, so a re-run never duplicates."""
    for call, skip in skipped:
        conn.execute(
            queries.UPSERT_SKIP,
            {
                "call_id": call.call_id,
                "call_date": call.call_date,
                "scope": skip.scope,
                "reason": skip.reason,
                "detail": Jsonb(skip.detail),
            },
        )
    if analysed:
        conn.execute(queries.DELETE_SKIPS, {"call_ids": analysed})
