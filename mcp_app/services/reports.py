"""export_coaching_report: a rep's or a manager's team weekly review, rendered by coaching_pipeline.reviews."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from coaching_pipeline.reviews.errors import ReviewError
from coaching_pipeline.reviews.render import ReportFormat, render_rep_review, render_team_review
from mcp_app.services import queries
from mcp_app.services.context import AppContext
from mcp_app.services.errors import Denied, NotFound
from mcp_app.services.people import resolve_rep
from mcp_app.services.principal import Principal, Role


class ExportedReport(BaseModel):
    title: str
    format: ReportFormat
    subject_kind: Literal["rep", "team"]
    subject: str
    week_start: date
    body: str

    def row_count(self) -> int:
        return 1


def export_coaching_report(
    ctx: AppContext,
    principal: Principal,
    subject: Literal["rep", "team"],
    who: str | None,
    period: date | None,
    fmt: ReportFormat,
) -> ExportedReport:
    """`rep`: that rep's week (yourself by default); `team`: the team reporting to a manager (yourself by
    default), managers and admins only. `period` is any day of the week; default the newest week."""
    if subject == "team" and principal.role is Role.REP:
        raise Denied("team reports are for managers and admins; ask for subject='rep' instead")
    with ctx.read() as conn:
        person = resolve_rep(conn, principal, who)
        week = period or conn.execute(queries.LATEST_WEEK).fetchone()["week_start"]
    if week is None:
        raise NotFound("the marts hold no scored weeks yet")
    render = render_team_review if subject == "team" else render_rep_review
    try:
        report = render(ctx.url, person.user_id, week, fmt)
    except ReviewError as exc:
        raise NotFound(str(exc)) from None
    return ExportedReport(
        title=report.title,
        format=report.format,
        subject_kind=report.subject_kind,
        subject=report.subject,
        week_start=report.week_start,
        body=report.body,
    )
