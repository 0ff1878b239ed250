"""The week's messages: each rep's review to the rep, each team review to the manager (and the recipients
file's extra readers), and a Slack summary per team review; only the channels that are configured."""

from __future__ import annotations

from coaching_pipeline.reviews.deliver import DeliveryConfig, Outgoing
from coaching_pipeline.reviews.email_message import build_email
from coaching_pipeline.reviews.ledger import DeliveryKey
from coaching_pipeline.reviews.models import RepReview, TeamReview
from coaching_pipeline.reviews.recipients import RecipientOverrides
from coaching_pipeline.reviews.render import RenderedReport, ReportFormat, render_rep, render_team
from coaching_pipeline.reviews.slack import team_summary_blocks

SLACK_DEFAULT_LABEL = "SLACK_WEBHOOK_URL"


def plan_messages(
    reps: list[RepReview],
    teams: list[TeamReview],
    config: DeliveryConfig,
    overrides: RecipientOverrides,
    base_url: str | None,
) -> list[Outgoing]:
    """Every message to attempt this week; the ledger decides which are still to send."""
    outgoing: list[Outgoing] = []
    for rep in reps:
        if config.email_enabled and rep.rep.is_active and rep.rep.email and not overrides.opted_out(rep.rep.email):
            html, text = render_rep(rep, ReportFormat.HTML), render_rep(rep, ReportFormat.MARKDOWN, images=False)
            outgoing.append(_email(config, rep.rep.email, f"rep:{rep.rep.user_id}", html, text))
    for team in teams:
        html = render_team(team, ReportFormat.HTML)
        review = f"team:{team.manager.user_id}"
        if config.email_enabled:
            text = render_team(team, ReportFormat.MARKDOWN, images=False)
            manager = team.manager.email if team.manager.is_active else None
            readers = [manager, *overrides.cc_for(team.manager.team, team.manager.email)]
            for address in dict.fromkeys(a for a in readers if a and not overrides.opted_out(a)):
                outgoing.append(_email(config, address, review, html, text))
        webhook = overrides.webhook_for(team.manager.team) or (
            (SLACK_DEFAULT_LABEL, config.slack_webhook_url) if config.slack_webhook_url else None
        )
        if webhook:
            url = f"{base_url.rstrip('/')}/{team.week.week_start.isoformat()}/{html.filename}" if base_url else None
            outgoing.append(
                Outgoing(
                    key=DeliveryKey(
                        week_start=team.week.week_start, channel="slack", recipient=webhook[0], review=review
                    ),
                    slack_payload=team_summary_blocks(team, url, emailed=config.email_enabled),
                    webhook=webhook[1],
                )
            )
    return outgoing


def _email(config: DeliveryConfig, address: str, review: str, html: RenderedReport, text: RenderedReport) -> Outgoing:
    key = DeliveryKey(week_start=html.week_start, channel="email", recipient=address, review=review)
    message = build_email(key, sender=config.smtp_from or "", subject=html.title, html=html.body, text=text.body)
    return Outgoing(key=key, email=message)
