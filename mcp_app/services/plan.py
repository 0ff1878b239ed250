"""get_coaching_plan: the rep's focus areas from marts.rep_coaching_focus, with quotes, drills and targets."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from mcp_app.services import queries
from mcp_app.services.answers import EvidenceQuote, evidence
from mcp_app.services.context import AppContext
from mcp_app.services.guidance import Habit, habits
from mcp_app.services.people import RepRef, resolve_rep, scope
from mcp_app.services.principal import Principal

TARGET_STEP = 0.5  # criterion points to gain over the target window
TARGET_WEEKS = 4  # the marts' benchmark window: progress shows in the next window's focus mart
MIN_CALLS = 3
HABIT_SHARE = 0.5  # a habit inside guidance on fewer than half the calls becomes a plan item


class Target(BaseModel):
    metric: str = Field(description="What is measured, and where (a marts column).")
    current: float
    target: float
    weeks: int
    min_calls: int


class FocusArea(BaseModel):
    priority: int = Field(description="1 = work on this first (the weakest criterion).")
    dimension: str
    criterion_id: str
    criterion_name: str | None
    why: str
    evidence: list[EvidenceQuote]
    drills: list[str]
    target: Target
    lowest_scored_call_url: str | None = None


class CoachingPlan(BaseModel):
    rep: RepRef
    window_start_week: date | None
    window_end_week: date | None
    focus_areas: list[FocusArea]
    habits_to_fix: list[Habit] = Field(description="Interaction habits inside Gong's guidance on < half the calls.")

    def row_count(self) -> int:
        return len(self.focus_areas) + len(self.habits_to_fix)


def target_for(mean: float) -> float:
    return min(5.0, round(mean + TARGET_STEP, 1))


def get_coaching_plan(ctx: AppContext, principal: Principal, rep: str | None) -> CoachingPlan:
    with ctx.read() as conn:
        who = resolve_rep(conn, principal, rep)
        params = scope(principal, rep_user_id=who.user_id)
        focus = conn.execute(queries.REP_FOCUS, params).fetchall()
        interaction = conn.execute(queries.REP_INTERACTION, params).fetchone()
    areas = []
    for row in focus:
        mean = float(row["mean_criterion_score"])
        name = row["criterion_name"] or row["criterion_id"]
        areas.append(
            FocusArea(
                priority=row["focus_rank"],
                dimension=row["dimension"],
                criterion_id=row["criterion_id"],
                criterion_name=row["criterion_name"],
                why=f"{name} averages {mean:.2f}/5 over {row['scored_call_count']} scored calls, "
                f"weeks {row['window_start_week']} to {row['window_end_week']}",
                evidence=evidence(
                    [{**q, "verified": True} for q in row["evidence_quotes"] or []],
                    call_id=row["lowest_scored_call_id"],
                    call_url=row["lowest_scored_call_url"],
                ),
                drills=list(row["drills"] or []),
                target=Target(
                    metric=f"mean {row['dimension']}/{row['criterion_id']} score "
                    "(marts.rep_coaching_focus.mean_criterion_score)",
                    current=round(mean, 2),
                    target=target_for(mean),
                    weeks=TARGET_WEEKS,
                    min_calls=MIN_CALLS,
                ),
                lowest_scored_call_url=row["lowest_scored_call_url"],
            )
        )
    weak_habits = [
        h
        for h in (habits(dict(interaction)) if interaction else [])
        if h.share_of_calls_in_guidance is not None and h.share_of_calls_in_guidance < HABIT_SHARE
    ]
    return CoachingPlan(
        rep=who,
        window_start_week=focus[0]["window_start_week"] if focus else None,
        window_end_week=focus[0]["window_end_week"] if focus else None,
        focus_areas=areas,
        habits_to_fix=weak_habits,
    )
