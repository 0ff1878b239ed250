"""Build a manager's weekly team review from the marts: their reps' spread, movers, coverage, heat map, cost."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from coaching_pipeline.reviews import queries
from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.reviews.models import (
    DIMENSIONS,
    Coverage,
    Distribution,
    Mover,
    Person,
    RepRow,
    TeamReview,
    WeekCost,
)
from coaching_pipeline.reviews.subjects import (
    coverage_by_rep,
    find_person,
    person,
    provenance,
    review_week,
    total_coverage,
)

MOVERS = 3


def build_team_review(conn: psycopg.Connection, manager_user_id: str, week_start: date) -> TeamReview:
    """Everything a manager's review shows; ReviewNotFound when no rep of theirs had scored calls that week."""
    manager = person(find_person(conn, manager_user_id, "manager"))
    week = review_week(week_start)
    members = [person(r) for r in queries.rows(conn, "team_members", manager_user_id=manager.user_id)]
    if not members:
        raise ReviewNotFound(f"{manager.name} manages no reps in marts.reps (Gong's manager hierarchy)")
    ids = [m.user_id for m in members]
    trends = queries.rows(conn, "team_trends", rep_user_ids=ids, week_start=week.week_start)
    coverage = coverage_by_rep(conn, ids, week)
    rows = [_rep_row(m, trends, coverage.get(m.user_id)) for m in members]
    rows = [r for r in rows if r.scores or r.coverage.recorded]
    if not any(r.scores for r in rows):
        raise ReviewNotFound(f"no analysed calls for {manager.name}'s team in week {week.label}")
    changed = sorted((r for r in rows if r.mean_change is not None), key=lambda r: (r.mean_change, r.rep.name))
    distributions = queries.rows(conn, "team_distribution", rep_user_ids=ids, week_start=week.week_start)
    return TeamReview(
        manager=manager,
        week=week,
        coverage=total_coverage([r.coverage for r in rows]),
        reps=rows,
        distributions=sorted((Distribution(**d) for d in distributions), key=lambda d: DIMENSIONS.index(d.dimension)),
        improved=[_mover(r) for r in reversed(changed) if (r.mean_change or 0) > 0][:MOVERS],
        declined=[_mover(r) for r in changed if (r.mean_change or 0) < 0][:MOVERS],
        cost=_cost(conn, week.week_start, week.week_end),
        provenance=provenance(conn, ids, week),
    )


def _rep_row(member: Person, trends: list[dict[str, Any]], coverage: Coverage | None) -> RepRow:
    mine = [t for t in trends if t["rep_user_id"] == member.user_id]
    return RepRow(
        rep=member,
        coverage=coverage or Coverage(recorded=0, analysed=0),
        scores={t["dimension"]: float(t["mean_score"]) for t in mine},
        changes={
            t["dimension"]: float(t["week_over_week_change"]) for t in mine if t["week_over_week_change"] is not None
        },
    )


def _mover(row: RepRow) -> Mover:
    dimension, change = max(row.changes.items(), key=lambda item: (abs(item[1]), item[0]))
    return Mover(
        rep_name=row.rep.name, mean_change=row.mean_change or 0.0, biggest_dimension=dimension, biggest_change=change
    )


def _cost(conn: psycopg.Connection, start: date, end: date) -> WeekCost | None:
    found = queries.row(conn, "week_cost", week_start=start, week_end=end)
    if not found or not found["day_count"]:
        return None
    rate = found["cache_hit_rate"]
    return WeekCost(
        cost_usd=float(found["cost_usd"]),
        saved_usd=float(found["saved_usd"]),
        request_count=int(found["request_count"]),
        analysis_count=int(found["analysis_count"]),
        cache_hit_rate=None if rate is None else float(rate),
    )
