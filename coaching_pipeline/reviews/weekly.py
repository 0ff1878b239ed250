"""A week's reviews end to end: build every rep's and manager's review, write the files, deliver each once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from coaching_pipeline.reviews import queries
from coaching_pipeline.reviews.deliver import Delivered, DeliveryConfig, deliver
from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.reviews.models import RepReview, TeamReview
from coaching_pipeline.reviews.outbox import plan_messages
from coaching_pipeline.reviews.recipients import RecipientOverrides
from coaching_pipeline.reviews.render import RenderedReport, ReportFormat, render_rep, render_team
from coaching_pipeline.reviews.rep_review import build_rep_review
from coaching_pipeline.reviews.team_review import build_team_review
from coaching_pipeline.reviews.weeks import week_label, week_start_of
from coaching_pipeline.warehouse.db import connect


class WeekReviews(BaseModel):
    week_start: date
    reps: list[RepReview] = Field(default_factory=list)
    teams: list[TeamReview] = Field(default_factory=list)


class WeekOutcome(BaseModel):
    """What a week's run did, for Dagster metadata and the CLI."""

    week: str
    rep_reviews: int
    team_reviews: int
    files: list[str]
    dry_run: bool
    deliveries: list[Delivered] = Field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for d in self.deliveries if d.outcome == outcome)

    @property
    def failures(self) -> list[Delivered]:
        return [d for d in self.deliveries if d.outcome == "failed"]


def delivery_configured(config: DeliveryConfig, overrides: RecipientOverrides) -> bool:
    """False means a dry run: the week's files are written and nothing is sent."""
    return config.email_enabled or config.slack_webhook_url is not None or bool(overrides.slack_webhooks)


def collect_week(url: str, week_start: date) -> WeekReviews:
    """Every review the week has: each rep with scored calls, and each of their managers."""
    monday = week_start_of(week_start)
    found = WeekReviews(week_start=monday)
    with connect(url) as conn:
        subjects = queries.rows(conn, "week_subjects", week_start=monday)
        for subject in subjects:
            try:
                found.reps.append(build_rep_review(conn, subject["rep_user_id"], monday))
            except ReviewNotFound:  # scores not yet in rep_weekly_trends: the marts are mid-refresh
                continue
        for manager in sorted({s["manager_user_id"] for s in subjects if s["manager_user_id"]}):
            try:
                found.teams.append(build_team_review(conn, manager, monday))
            except ReviewNotFound:
                continue
    return found


def render_week(reviews: WeekReviews, formats: tuple[ReportFormat, ...]) -> list[RenderedReport]:
    """Each review of the week in each format."""
    reports: list[RenderedReport] = []
    for fmt in formats:
        reports += [render_rep(r, fmt) for r in reviews.reps] + [render_team(t, fmt) for t in reviews.teams]
    return reports


def write_reports(reports: list[RenderedReport], out_dir: Path) -> list[Path]:
    """Write each report under out_dir (created if needed); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in reports:
        path = out_dir / report.filename
        path.write_text(report.body, encoding="utf-8")
        paths.append(path)
    return paths


def run_week(
    url: str,
    week_start: date,
    *,
    out_dir: Path,
    config: DeliveryConfig,
    overrides: RecipientOverrides,
    base_url: str | None = None,
) -> WeekOutcome:
    """Render and write the week's reviews, then send each message the ledger has not seen sent."""
    reviews = collect_week(url, week_start)
    paths = write_reports(render_week(reviews, (ReportFormat.HTML, ReportFormat.MARKDOWN)), out_dir)
    outgoing = plan_messages(reviews.reps, reviews.teams, config, overrides, base_url)
    return WeekOutcome(
        week=week_label(reviews.week_start),
        rep_reviews=len(reviews.reps),
        team_reviews=len(reviews.teams),
        files=[str(p) for p in paths],
        dry_run=not delivery_configured(config, overrides),
        deliveries=deliver(url, outgoing, config) if outgoing else [],
    )
