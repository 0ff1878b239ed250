"""One rendering path for every weekly review: email, Slack, `coaching report` and the MCP app's export.

Public API (shared with mcp_app): ReportFormat, RenderedReport, render_rep_review, render_team_review and
ReviewNotFound (re-exported from errors), which callers turn into a message.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2
from pydantic import BaseModel

from coaching_pipeline.reviews import charts
from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.reviews.formatting import FILTERS
from coaching_pipeline.reviews.models import RepReview, TeamReview
from coaching_pipeline.reviews.rep_review import TREND_WEEKS, build_rep_review
from coaching_pipeline.reviews.team_review import build_team_review
from coaching_pipeline.warehouse.db import connect

__all__ = [
    "RenderedReport",
    "ReportFormat",
    "ReviewNotFound",
    "render_rep",
    "render_rep_review",
    "render_team",
    "render_team_review",
]

TEMPLATES = Path(__file__).with_name("templates")
DISCLAIMER = (
    "AI scores are coaching aids, not performance ratings: use them to pick calls to listen to and skills "
    "to practise, and check the evidence before acting on a number."
)


class ReportFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "md"


class RenderedReport(BaseModel):
    """A complete document (images embedded as data URIs when `images` was asked for)."""

    title: str
    format: ReportFormat
    body: str
    subject_kind: Literal["rep", "team"]
    subject: str
    subject_user_id: str
    week_start: date

    @property
    def filename(self) -> str:
        slug = "".join(c if c.isalnum() else "-" for c in self.subject.lower()).strip("-")
        return f"{self.week_start.isoformat()}-{self.subject_kind}-{slug}-{self.subject_user_id}.{self.format.value}"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    environment.globals["disclaimer"] = DISCLAIMER
    return environment


def render_rep(review: RepReview, fmt: ReportFormat, *, images: bool = True) -> RenderedReport:
    """A rep's review as a document; `images=False` leaves the chart out (the email's plain-text part)."""
    chart = charts.trend_chart(review.trend, review.week.week_start, TREND_WEEKS) if images else None
    title = f"Weekly coaching review: {review.rep.name}, {review.week.label}"
    body = _environment().get_template(f"rep.{fmt.value}.j2").render(review=review, title=title, trend_chart=chart)
    return RenderedReport(
        title=title,
        format=fmt,
        body=body,
        subject_kind="rep",
        subject=review.rep.name,
        subject_user_id=review.rep.user_id,
        week_start=review.week.week_start,
    )


def render_team(review: TeamReview, fmt: ReportFormat, *, images: bool = True) -> RenderedReport:
    """A manager's team review as a document; `images=False` leaves the charts out."""
    figures = (
        {
            "distribution_chart": charts.distribution_chart(review.distributions),
            "heatmap_chart": charts.heatmap_chart(review.reps),
        }
        if images
        else {"distribution_chart": None, "heatmap_chart": None}
    )
    title = f"Weekly team review: {review.manager.name}'s team, {review.week.label}"
    body = _environment().get_template(f"team.{fmt.value}.j2").render(review=review, title=title, **figures)
    return RenderedReport(
        title=title,
        format=fmt,
        body=body,
        subject_kind="team",
        subject=review.manager.name,
        subject_user_id=review.manager.user_id,
        week_start=review.week.week_start,
    )


def render_rep_review(url: str, rep_user_id: str, week_start: date, fmt: ReportFormat) -> RenderedReport:
    """The rep's review of the week holding `week_start`; ReviewNotFound for an unknown rep or an empty week."""
    with connect(url) as conn:
        review = build_rep_review(conn, rep_user_id, week_start)
    return render_rep(review, ReportFormat(fmt))


def render_team_review(url: str, manager_user_id: str, week_start: date, fmt: ReportFormat) -> RenderedReport:
    """The manager's team review of the week holding `week_start`; ReviewNotFound when there is nothing to show."""
    with connect(url) as conn:
        review = build_team_review(conn, manager_user_id, week_start)
    return render_team(review, ReportFormat(fmt))
