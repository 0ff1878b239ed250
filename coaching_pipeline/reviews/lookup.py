"""Find review subjects by what people type: a rep's email, a team name or a manager's email, a week."""

from __future__ import annotations

from datetime import date

from coaching_pipeline.reviews import queries
from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.warehouse.db import connect


def rep_by_email(url: str, email: str) -> str:
    """The Gong user id of the rep with this email."""
    with connect(url) as conn:
        found = queries.rows(conn, "person_by_email", email=email)
    if not found:
        raise ReviewNotFound(f"no user with email {email!r} in marts.reps")
    return found[0]["user_id"]


def managers_of(url: str, team_or_email: str) -> list[str]:
    """The managers whose reps make up the team (by team name, as in marts.reps), or the manager by email."""
    with connect(url) as conn:
        found = queries.rows(conn, "managers_of_team", name=team_or_email)
    if not found:
        raise ReviewNotFound(f"no team or manager email {team_or_email!r} with reps in marts.reps")
    return [r["user_id"] for r in found]


def latest_complete_week(url: str, today: date) -> date:
    """The Monday of the latest week with scored calls that ended before today (else the latest with any)."""
    with connect(url) as conn:
        found = queries.row(conn, "latest_week", today=today)
    if not found or found["week_start"] is None:
        raise ReviewNotFound("the warehouse holds no scored calls yet (run the pipeline first)")
    return found["week_start"]
