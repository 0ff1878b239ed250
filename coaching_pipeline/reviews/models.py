"""What a weekly review holds, as pydantic models: built from the marts, rendered by templates."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

DIMENSIONS = ("discovery", "product_knowledge", "objection_handling", "engagement")
DIMENSION_LABELS = {
    "discovery": "Discovery",
    "product_knowledge": "Product knowledge",
    "objection_handling": "Objection handling",
    "engagement": "Engagement",
}


class Person(BaseModel):
    user_id: str
    name: str
    email: str | None = None
    team: str
    role: str


class Provenance(BaseModel):
    """Where the scores come from: rubric version per dimension, analyzer models."""

    rubric_versions: dict[str, str] = Field(default_factory=dict)
    models: list[str] = Field(default_factory=list)
    offline_only: bool = False


class Coverage(BaseModel):
    """Calls with a transcript (marts.call_interaction_stats) against calls with scores (marts.call_scores)."""

    recorded: int
    analysed: int

    @property
    def share(self) -> float | None:
        return self.analysed / self.recorded if self.recorded else None


class DimensionScore(BaseModel):
    """One dimension of a rep's week, beside last week, the 4-week trend and the team and role means."""

    dimension: str
    rubric_version: str
    call_count: int
    mean_score: float
    previous_week_mean_score: float | None = None
    week_over_week_change: float | None = None
    rolling_4w_mean_score: float | None = None
    team_mean_score: float | None = None
    role_mean_score: float | None = None


class TrendPoint(BaseModel):
    week_start: date
    dimension: str
    mean_score: float
    call_count: int


class InteractionStat(BaseModel):
    """One interaction statistic for the week: the rep's average, the team's, and Gong's guidance."""

    key: str
    label: str
    guidance: str
    value: float | None = None
    team_value: float | None = None
    share_in_guidance: float | None = None
    unit: str = ""


class Quote(BaseModel):
    quote: str
    speaker: str | None = None
    start_seconds: float | None = None
    call_url: str | None = None
    call_date: date | None = None


class CriterionFinding(BaseModel):
    """A strength or focus area: a rubric criterion over the 4-week window, with evidence and drills."""

    dimension: str
    criterion_id: str
    criterion_name: str
    rubric_version: str
    mean_criterion_score: float
    scored_call_count: int
    quotes: list[Quote] = Field(default_factory=list)
    drills: list[str] = Field(default_factory=list)


class CallSummary(BaseModel):
    call_id: str
    title: str | None = None
    call_date: date
    call_url: str | None = None
    mean_score: float
    scores: dict[str, float] = Field(default_factory=dict)


class ReviewWeek(BaseModel):
    week_start: date
    week_end: date
    label: str
    window_start: date


class RepReview(BaseModel):
    """A rep's week: only their own numbers, beside team and role averages."""

    rep: Person
    week: ReviewWeek
    coverage: Coverage
    dimensions: list[DimensionScore]
    trend: list[TrendPoint]
    interaction: list[InteractionStat]
    strength: CriterionFinding | None = None
    focus: list[CriterionFinding] = Field(default_factory=list)
    best_call: CallSummary | None = None
    weakest_call: CallSummary | None = None
    provenance: Provenance


class Distribution(BaseModel):
    """Call scores of one dimension across the team's calls of the week."""

    dimension: str
    call_count: int
    mean_score: float
    min_score: float
    p25_score: float
    median_score: float
    p75_score: float
    max_score: float


class RepRow(BaseModel):
    """One rep in a manager's team review."""

    rep: Person
    coverage: Coverage
    scores: dict[str, float] = Field(default_factory=dict)
    changes: dict[str, float] = Field(default_factory=dict)

    @property
    def mean_change(self) -> float | None:
        return round(sum(self.changes.values()) / len(self.changes), 4) if self.changes else None


class Mover(BaseModel):
    rep_name: str
    mean_change: float
    biggest_dimension: str
    biggest_change: float


class WeekCost(BaseModel):
    """marts.llm_daily_costs summed over the week's days (the whole company)."""

    cost_usd: float
    saved_usd: float
    request_count: int
    analysis_count: int
    cache_hit_rate: float | None = None


class TeamReview(BaseModel):
    """A manager's week: their reps' distribution, movers, coverage, heat map and the analysis cost."""

    manager: Person
    week: ReviewWeek
    coverage: Coverage
    reps: list[RepRow]
    distributions: list[Distribution]
    improved: list[Mover] = Field(default_factory=list)
    declined: list[Mover] = Field(default_factory=list)
    cost: WeekCost | None = None
    provenance: Provenance
