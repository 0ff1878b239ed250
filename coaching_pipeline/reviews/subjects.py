"""The parts every review shares: who it is about, which week, the coverage and the scores' provenance."""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from typing import Any

import psycopg

from coaching_pipeline.reviews import queries
from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.reviews.models import Coverage, Person, Provenance, ReviewWeek
from coaching_pipeline.reviews.weeks import week_end, week_label, week_start_of

# The focus window: the review week and the three before it, like the marts' benchmark window.
FOCUS_WEEKS = 4


def person(row: dict[str, Any]) -> Person:
    return Person(
        user_id=row["user_id"],
        name=row["full_name"] or row["email"] or row["user_id"],
        email=row["email"],
        team=row["team"],
        role=row["user_role"],
    )


def find_person(conn: psycopg.Connection, user_id: str, what: str) -> dict[str, Any]:
    """The marts.reps row of a user id; ReviewNotFound names the id when there is none."""
    found = queries.row(conn, "person", user_id=user_id)
    if found is None:
        raise ReviewNotFound(f"no {what} with Gong user id {user_id!r} in marts.reps")
    return found


def review_week(week_start: Date) -> ReviewWeek:
    monday = week_start_of(week_start)
    return ReviewWeek(
        week_start=monday,
        week_end=week_end(monday),
        label=week_label(monday),
        window_start=monday - timedelta(weeks=FOCUS_WEEKS - 1),
    )


def coverage_by_rep(conn: psycopg.Connection, rep_user_ids: list[str], week: ReviewWeek) -> dict[str, Coverage]:
    found = queries.rows(conn, "coverage", rep_user_ids=rep_user_ids, week_start=week.week_start)
    return {r["rep_user_id"]: Coverage(recorded=r["recorded"], analysed=r["analysed"]) for r in found}


def total_coverage(parts: list[Coverage]) -> Coverage:
    return Coverage(recorded=sum(c.recorded for c in parts), analysed=sum(c.analysed for c in parts))


def provenance(conn: psycopg.Connection, rep_user_ids: list[str], week: ReviewWeek) -> Provenance:
    found = queries.rows(conn, "provenance", rep_user_ids=rep_user_ids, week_start=week.week_start)
    versions: dict[str, list[str]] = {}
    for r in found:
        versions.setdefault(r["dimension"], [])
        if r["rubric_version"] not in versions[r["dimension"]]:
            versions[r["dimension"]].append(r["rubric_version"])
    return Provenance(
        rubric_versions={dimension: ", ".join(names) for dimension, names in versions.items()},
        models=sorted({r["analyzer_model"] for r in found if r["analyzer_model"]}),
        offline_only=bool(found) and all(r["offline"] for r in found),
    )
