"""Result shapes shared by several tools: a scored dimension of a call, its criteria and evidence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from coaching_pipeline.transcripts.render import format_timestamp


class EvidenceQuote(BaseModel):
    quote: str
    speaker: str | None = None
    start_seconds: float | None = None
    timestamp: str | None = Field(default=None, description="MM:SS from the start of the call.")
    criterion_id: str | None = None
    verified: bool = Field(description="True when the quote was found verbatim in the transcript.")
    call_id: str | None = None
    call_url: str | None = Field(default=None, description="Opens the call in Gong.")


class CriterionResult(BaseModel):
    criterion_id: str
    name: str | None = None
    score: int = Field(ge=1, le=5)
    rationale: str | None = None


class DimensionResult(BaseModel):
    dimension: str
    overall_score: float = Field(ge=1, le=5)
    rubric_version: str
    model: str
    analyzer: str
    analyzed_at: datetime | None = None
    source: str = Field(description="'marts' (as BI sees it) or 'analysis' (analysed since the last build).")
    criteria: list[CriterionResult]
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    evidence: list[EvidenceQuote] = Field(default_factory=list)
    unverified_quote_count: int = 0


class CallRef(BaseModel):
    call_id: str
    title: str | None = None
    call_date: date | None = None
    rep_user_id: str | None = None
    rep_name: str | None = None
    call_url: str | None = None


def evidence(items: list[dict[str, Any]], *, call_id: str | None, call_url: str | None) -> list[EvidenceQuote]:
    """Stored evidence JSON (`{quote, speaker, start_seconds, criterion_id, verified}`) as quotes with links."""
    return [
        EvidenceQuote(
            quote=item.get("quote") or "",
            speaker=item.get("speaker"),
            start_seconds=item.get("start_seconds"),
            timestamp=_clock(item.get("start_seconds")),
            criterion_id=item.get("criterion_id"),
            verified=bool(item.get("verified", False)),
            call_id=item.get("call_id") or call_id,
            call_url=item.get("call_url") or call_url,
        )
        for item in items
        if item.get("quote")
    ]


def _clock(seconds: float | None) -> str | None:
    return None if seconds is None else format_timestamp(int(float(seconds) * 1000))


def dimension_result(row: dict[str, Any], criteria: list[CriterionResult]) -> DimensionResult:
    return DimensionResult(
        dimension=row["dimension"],
        overall_score=float(row["overall_score"]),
        rubric_version=row["rubric_version"],
        model=row["model"],
        analyzer=row["analyzer"],
        analyzed_at=row["analyzed_at"],
        source=row["source"],
        criteria=criteria,
        strengths=list(row["strengths"] or []),
        improvements=list(row["improvements"] or []),
        evidence=evidence(list(row["evidence"] or []), call_id=row["call_id"], call_url=row["call_url"]),
        unverified_quote_count=int(row["unverified_quote_count"] or 0),
    )
