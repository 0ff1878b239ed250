"""Build a rep's weekly review from the marts: only that rep's numbers, beside team and role averages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import psycopg

from coaching_pipeline.reviews import queries
from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.reviews.guidance import INTERACTION_GUIDANCE
from coaching_pipeline.reviews.models import (
    DIMENSIONS,
    CallSummary,
    CriterionFinding,
    DimensionScore,
    InteractionStat,
    Quote,
    RepReview,
    ReviewWeek,
    TrendPoint,
)
from coaching_pipeline.reviews.subjects import coverage_by_rep, find_person, person, provenance, review_week

TREND_WEEKS = 12
FOCUS_AREAS = 2
QUOTES_PER_FINDING = 3


def build_rep_review(conn: psycopg.Connection, rep_user_id: str, week_start: date) -> RepReview:
    """Everything a rep's review shows for the week; ReviewNotFound when the rep had no scored calls in it."""
    rep = person(find_person(conn, rep_user_id, "rep"))
    week = review_week(week_start)
    scores = queries.rows(conn, "rep_week_scores", rep_user_id=rep.user_id, week_start=week.week_start)
    if not scores:
        raise ReviewNotFound(f"no analysed calls for {rep.name} in week {week.label}")
    peers = {
        r["dimension"]: r
        for r in queries.rows(conn, "peer_means", team=rep.team, role=rep.role, week_start=week.week_start)
    }
    criteria = _criterion_means(conn, rep.user_id, week)
    calls = [_call(r) for r in queries.rows(conn, "week_calls", rep_user_ids=[rep.user_id], week_start=week.week_start)]
    return RepReview(
        rep=rep,
        week=week,
        coverage=coverage_by_rep(conn, [rep.user_id], week)[rep.user_id],
        dimensions=[_dimension(r, peers.get(r["dimension"], {})) for r in sorted(scores, key=_dimension_order)],
        trend=_trend(conn, rep.user_id, week),
        interaction=_interaction(conn, rep.user_id, rep.team, week),
        strength=_finding(conn, rep.user_id, week, criteria[-1], best=True) if criteria else None,
        focus=[_finding(conn, rep.user_id, week, c, best=False) for c in criteria[:FOCUS_AREAS]],
        best_call=calls[0] if calls else None,
        weakest_call=calls[-1] if len(calls) > 1 else None,
        provenance=provenance(conn, [rep.user_id], week),
    )


def _dimension_order(row: dict[str, Any]) -> int:
    return DIMENSIONS.index(row["dimension"]) if row["dimension"] in DIMENSIONS else len(DIMENSIONS)


def _dimension(row: dict[str, Any], peers: dict[str, Any]) -> DimensionScore:
    return DimensionScore(
        **row, team_mean_score=peers.get("team_mean_score"), role_mean_score=peers.get("role_mean_score")
    )


def _trend(conn: psycopg.Connection, rep_user_id: str, week: ReviewWeek) -> list[TrendPoint]:
    start = week.week_start - timedelta(weeks=TREND_WEEKS - 1)
    found = queries.rows(conn, "rep_trend", rep_user_id=rep_user_id, trend_start=start, week_start=week.week_start)
    return [TrendPoint(**r) for r in found]


def _interaction(conn: psycopg.Connection, rep_user_id: str, team: str, week: ReviewWeek) -> list[InteractionStat]:
    """The rep's week against the whole team's week (the rep's own calls included, like every team average)."""
    found = queries.rows(conn, "interaction_week", rep_user_id=rep_user_id, team=team, week_start=week.week_start)
    mine = next((r for r in found if r["is_rep"] and not r["is_team"]), {})
    everyone = next((r for r in found if r["is_team"]), {})
    return [
        InteractionStat(
            key=g.key,
            label=g.label,
            guidance=g.guidance,
            unit=g.unit,
            value=_float(mine.get(g.key)),
            team_value=_float(everyone.get(g.key)),
            share_in_guidance=_float(mine.get(f"{g.key}_share")),
        )
        for g in INTERACTION_GUIDANCE
    ]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _criterion_means(conn: psycopg.Connection, rep_user_id: str, week: ReviewWeek) -> list[dict[str, Any]]:
    """Criteria ordered weakest first, ties as marts.rep_coaching_focus breaks them (more calls first)."""
    found = queries.rows(
        conn, "criterion_means", rep_user_id=rep_user_id, window_start=week.window_start, week_end=week.week_end
    )
    return sorted(
        found,
        key=lambda r: (r["mean_criterion_score"], -r["scored_call_count"], r["dimension"], r["criterion_id"]),
    )


def _finding(
    conn: psycopg.Connection, rep_user_id: str, week: ReviewWeek, criterion: dict[str, Any], *, best: bool
) -> CriterionFinding:
    where = {
        "rep_user_id": rep_user_id,
        "dimension": criterion["dimension"],
        "criterion_id": criterion["criterion_id"],
        "window_start": week.window_start,
        "week_end": week.week_end,
    }
    quotes = queries.rows(conn, "criterion_quotes", **where, best_first=best, limit=QUOTES_PER_FINDING)
    drills = queries.row(
        conn,
        "drills",
        dimension=criterion["dimension"],
        rubric_version=criterion["rubric_version"],
        criterion_id=criterion["criterion_id"],
    )
    return CriterionFinding(
        dimension=criterion["dimension"],
        criterion_id=criterion["criterion_id"],
        criterion_name=criterion["criterion_name"] or criterion["criterion_id"],
        rubric_version=criterion["rubric_version"],
        mean_criterion_score=float(criterion["mean_criterion_score"]),
        scored_call_count=criterion["scored_call_count"],
        quotes=[Quote(**q) for q in quotes],
        drills=[] if best or drills is None else list(drills["drills"] or []),
    )


def _call(row: dict[str, Any]) -> CallSummary:
    return CallSummary(
        call_id=row["call_id"],
        title=row["title"],
        call_date=row["call_date"],
        call_url=row["call_url"],
        mean_score=float(row["mean_score"]),
        scores={k: float(v) for k, v in row["scores"].items()},
    )
