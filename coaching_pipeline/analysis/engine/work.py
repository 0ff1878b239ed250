"""The unit of work, (call, dimension), from the warehouse rows to the stored, verified analysis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

import psycopg
from pydantic import BaseModel

from coaching_pipeline.analysis.claude.resilience import Clock
from coaching_pipeline.analysis.engine import cache, queries, store
from coaching_pipeline.analysis.engine.cache import CachedResult, CacheKey
from coaching_pipeline.analysis.engine.options import EngineOptions
from coaching_pipeline.analysis.engine.store import CallRef
from coaching_pipeline.analysis.evidence import verify_evidence
from coaching_pipeline.analysis.longcalls import merge
from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.analysis.request import AnalysisRequest, Analyzer
from coaching_pipeline.knowledge.models import Dimension, KnowledgeDocument, RepRole, Rubric
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.transcripts.redaction import RedactionPolicy
from coaching_pipeline.warehouse import queries as warehouse_queries
from coaching_pipeline.warehouse.db import connect


class CallWork(BaseModel):
    """A call with a ready transcript, as read from raw.calls, raw.transcripts and raw.users."""

    call: CallRef
    transcript: Transcript
    transcript_sha256: str
    rep_role: RepRole | None = None
    call_type: str | None = None
    scope: str | None = None
    affiliations: list[str] = []


class Unit(BaseModel):
    work: CallWork
    dimension: Dimension
    rubric: Rubric
    key: CacheKey

    def request(self, knowledge: Sequence[KnowledgeDocument], transcript: Transcript | None = None) -> AnalysisRequest:
        return AnalysisRequest(
            transcript=transcript or self.work.transcript,
            dimension=self.dimension,
            rubric=self.rubric,
            knowledge=list(knowledge),
            rep_role=self.work.rep_role,
            call_type=self.work.call_type,
        )


class Workbench(Protocol):
    """What the sync and batch runners use of the engine that drives them (AnalysisEngine provides it)."""

    url: str
    analyzer: Analyzer
    options: EngineOptions
    clock: Clock

    @property
    def is_claude(self) -> bool: ...

    @property
    def rubrics(self) -> dict[Dimension, Rubric]: ...

    @property
    def knowledge(self) -> list[KnowledgeDocument]: ...

    def parts(self, work: CallWork) -> list[tuple[Transcript, int]]:
        """The whole transcript, or its chunks past the token budget, each with its token count."""
        ...


def _role(value: str | None) -> RepRole | None:
    return RepRole(value) if value in RepRole.__members__ else None


def load_calls(
    conn: psycopg.Connection,
    *,
    redaction: RedactionPolicy,
    call_date: date | None = None,
    call_ids: Sequence[str] | None = None,
) -> list[CallWork]:
    """Calls ready for analysis, their transcripts already redacted: analyzers, prompts and quote checks all
    see the same text, the only text that leaves for Claude."""
    if call_ids is not None:
        rows = conn.execute(queries.SELECT_CALLS_BY_ID, {"call_ids": list(call_ids)}).fetchall()
    else:
        rows = conn.execute(queries.SELECT_CALLS_FOR_DATE, {"call_date": call_date}).fetchall()
    return [
        CallWork(
            call=CallRef(call_id=r["call_id"], call_date=r["call_date"], rep_user_id=r["primary_user_id"]),
            transcript=redaction.redact(Transcript.model_validate(r["normalized"])),
            transcript_sha256=r["sha256"],
            rep_role=_role(r["role"]),
            call_type=r["call_type"],
            scope=r["scope"],
            affiliations=list(r["affiliations"]),
        )
        for r in rows
    ]


def complete(
    conn: psycopg.Connection,
    unit: Unit,
    parts: Sequence[tuple[DimensionAnalysis, int]],
    *,
    analyzer_kind: str,
    cost_usd: float,
    ttl_days: int,
    run_id: str | None = None,
) -> CachedResult:
    """Verify every part's evidence against the full (redacted) transcript, merge, then cache and store it."""
    verified, unverified = [], 0
    for analysis, weight in parts:
        check = verify_evidence(analysis.evidence, unit.work.transcript)
        unverified += check.unverified
        verified.append((analysis.model_copy(update={"evidence": check.evidence}), weight))
    result = CachedResult(
        analysis=merge(verified), unverified_quote_count=unverified, analyzer=analyzer_kind, cost_usd=cost_usd
    )
    cache.store(conn, unit.key, result, ttl_days=ttl_days)
    store.save_analysis(conn, unit.work.call, unit.key, result, run_id=run_id)
    return result


def fail(
    conn: psycopg.Connection,
    unit: Unit,
    *,
    deferred: bool,
    reason: str,
    detail: dict[str, Any] | None = None,
    run_id: str | None = None,
) -> None:
    store.record_failure(
        conn,
        unit.work.call,
        unit.dimension.value,
        unit.key.rubric_version,
        status="deferred" if deferred else "failed",
        reason=reason,
        detail=detail,
        run_id=run_id,
    )


def ready_call_ids(url: str, start: date, end: date) -> list[str]:
    with connect(url) as conn:
        return [
            r["call_id"] for r in conn.execute(warehouse_queries.READY_CALL_IDS_IN_RANGE, {"start": start, "end": end})
        ]
