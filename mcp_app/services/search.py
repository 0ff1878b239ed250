"""search_calls: full-text search over transcripts plus filters, each hit with the sentences that match."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel, Field

from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.transcripts.render import format_timestamp
from mcp_app.services import queries
from mcp_app.services.context import AppContext
from mcp_app.services.errors import InvalidRequest
from mcp_app.services.people import reps_of_team, resolve_rep, scope
from mcp_app.services.principal import Principal

SNIPPETS_PER_CALL = 3


class SearchFilters(BaseModel):
    """search_calls' arguments, checked together (a reversed range is refused, not silently empty)."""

    query: str | None = None
    rep: str | None = None
    team: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    dimension: Dimension | None = None
    min_score: float | None = None
    max_score: float | None = None
    competitor: str | None = None
    limit: int = 10


class Snippet(BaseModel):
    speaker: str | None
    speaker_role: str | None
    start_seconds: float
    timestamp: str
    text: str = Field(description="The matching sentence; matched words are wrapped in **.")


class CallHit(BaseModel):
    call_id: str
    call_date: date
    title: str | None
    call_type: str | None
    duration_seconds: int
    rep_user_id: str | None
    rep_name: str | None
    team: str | None
    call_url: str | None
    scores: dict[str, float] = Field(description="Overall score per dimension from marts.call_scores.")
    snippets: list[Snippet]


class SearchResults(BaseModel):
    hits: list[CallHit]
    limit: int
    truncated: bool = Field(description="True when there may be more hits than `limit`.")

    def row_count(self) -> int:
        return len(self.hits)


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def search_calls(ctx: AppContext, principal: Principal, filters: SearchFilters) -> SearchResults:
    query, competitor = _blank_to_none(filters.query), _blank_to_none(filters.competitor)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise InvalidRequest(f"date_to {filters.date_to} is before date_from {filters.date_from}; swap them")
    if filters.min_score is not None and filters.max_score is not None and filters.max_score < filters.min_score:
        raise InvalidRequest(f"max_score {filters.max_score} is below min_score {filters.min_score}")
    with ctx.read() as conn:
        rep_ids = None
        if _blank_to_none(filters.rep):
            rep_ids = [resolve_rep(conn, principal, filters.rep).user_id]
        if _blank_to_none(filters.team):
            team_ids = reps_of_team(conn, principal, filters.team or "")
            rep_ids = [r for r in rep_ids if r in team_ids] if rep_ids is not None else team_ids
        params = scope(
            principal,
            rep_ids=rep_ids,
            date_from=filters.date_from,
            date_to=filters.date_to,
            query=query,
            competitor=competitor,
            scored=filters.dimension is not None or filters.min_score is not None or filters.max_score is not None,
            dimension=filters.dimension.value if filters.dimension else None,
            min_score=filters.min_score,
            max_score=filters.max_score,
            limit=filters.limit + 1,
        )
        rows = conn.execute(queries.SEARCH_CALLS, params).fetchall()
        truncated = len(rows) > filters.limit
        rows = rows[: filters.limit]
        ids = [r["call_id"] for r in rows]
        scores: dict[str, dict[str, float]] = defaultdict(dict)
        for s in conn.execute(queries.SCORES_OF_CALLS, {"call_ids": ids}):
            scores[s["call_id"]][s["dimension"]] = float(s["overall_score"])
        snippets: dict[str, list[Snippet]] = defaultdict(list)
        text = query or (f'"{competitor.replace(chr(34), " ")}"' if competitor else None)
        if text and ids:
            for s in conn.execute(queries.SNIPPETS, {"query": text, "call_ids": ids, "per_call": SNIPPETS_PER_CALL}):
                snippets[s["call_id"]].append(
                    Snippet(
                        speaker=s["speaker_name"],
                        speaker_role=s["speaker_role"],
                        start_seconds=s["start_ms"] / 1000,
                        timestamp=format_timestamp(s["start_ms"]),
                        text=s["snippet"],
                    )
                )
    hits = [
        CallHit(
            call_id=r["call_id"],
            call_date=r["call_date"],
            title=r["title"],
            call_type=r["call_type"],
            duration_seconds=r["duration_seconds"],
            rep_user_id=r["rep_user_id"],
            rep_name=r["rep_name"] or None,
            team=r["team"],
            call_url=r["url"],
            scores=scores.get(r["call_id"], {}),
            snippets=snippets.get(r["call_id"], []),
        )
        for r in rows
    ]
    return SearchResults(hits=hits, limit=filters.limit, truncated=truncated)
