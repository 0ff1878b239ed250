"""get_rep_insights: a rep's weekly trend, benchmarks, interaction habits, strongest and weakest areas."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, Field

from mcp_app.services import queries
from mcp_app.services.context import AppContext
from mcp_app.services.guidance import Habit, habits
from mcp_app.services.people import RepRef, resolve_rep, scope
from mcp_app.services.principal import Principal


class WeekPoint(BaseModel):
    week_start: date
    call_count: int
    mean_score: float
    rolling_4w_mean_score: float | None
    week_over_week_change: float | None


class DimensionTrend(BaseModel):
    dimension: str
    rubric_version: str
    weeks: list[WeekPoint]


class Benchmark(BaseModel):
    """marts.rep_benchmarks: the rep against their team and their role over the benchmark window."""

    dimension: str
    window_start_week: date
    window_end_week: date
    call_count: int
    mean_score: float
    team_mean_score: float
    team_percentile: float = Field(description="0 = lowest mean in the team, 1 = highest.")
    team_rep_count: int
    role_mean_score: float
    role_percentile: float
    role_rep_count: int


class FocusCriterion(BaseModel):
    dimension: str
    criterion_id: str
    criterion_name: str | None
    mean_criterion_score: float
    scored_call_count: int


class RepInsights(BaseModel):
    rep: RepRef
    weeks: int
    latest_week: date | None = Field(description="The newest week in the marts; trends count back from it.")
    trends: list[DimensionTrend]
    benchmarks: list[Benchmark]
    interaction: list[Habit]
    strongest_dimension: str | None
    weakest_dimension: str | None
    weakest_criteria: list[FocusCriterion]

    def row_count(self) -> int:
        return sum(len(t.weeks) for t in self.trends) + len(self.benchmarks) + len(self.weakest_criteria)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def get_rep_insights(ctx: AppContext, principal: Principal, rep: str | None, weeks: int) -> RepInsights:
    with ctx.read() as conn:
        who = resolve_rep(conn, principal, rep)
        latest = conn.execute(queries.LATEST_WEEK).fetchone()["week_start"]
        since = latest - timedelta(days=7 * weeks) if latest else date.min
        params = scope(principal, rep_user_id=who.user_id, since=since)
        trend_rows = conn.execute(queries.REP_TRENDS, params).fetchall()
        bench_rows = conn.execute(queries.REP_BENCHMARKS, params).fetchall()
        interaction = conn.execute(queries.REP_INTERACTION, params).fetchone()
        focus_rows = conn.execute(queries.REP_FOCUS, params).fetchall()
    trends: dict[str, DimensionTrend] = {}
    for row in trend_rows:
        trend = trends.setdefault(
            row["dimension"], DimensionTrend(dimension=row["dimension"], rubric_version=row["rubric_version"], weeks=[])
        )
        trend.weeks.append(
            WeekPoint(
                week_start=row["week_start"],
                call_count=row["call_count"],
                mean_score=float(row["mean_score"]),
                rolling_4w_mean_score=_float(row["rolling_4w_mean_score"]),
                week_over_week_change=_float(row["week_over_week_change"]),
            )
        )
    benchmarks = [Benchmark.model_validate(dict(row)) for row in bench_rows]
    ranked = sorted(benchmarks, key=lambda b: b.mean_score)
    return RepInsights(
        rep=who,
        weeks=weeks,
        latest_week=latest,
        trends=list(trends.values()),
        benchmarks=benchmarks,
        interaction=habits(dict(interaction)) if interaction else [],
        strongest_dimension=ranked[-1].dimension if ranked else None,
        weakest_dimension=ranked[0].dimension if ranked else None,
        weakest_criteria=[FocusCriterion.model_validate(dict(row)) for row in focus_rows],
    )
