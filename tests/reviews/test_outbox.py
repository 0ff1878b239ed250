"""Who gets which message: reps their own review, managers (and the recipients file's readers) their team's,
Slack a team summary without any rep's name; opt-outs and inactive users get nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from coaching_pipeline.reviews.deliver import DeliveryConfig
from coaching_pipeline.reviews.errors import ReviewConfigError
from coaching_pipeline.reviews.outbox import plan_messages
from coaching_pipeline.reviews.recipients import load_overrides
from coaching_pipeline.reviews.weekly import WeekReviews, collect_week
from tests.reviews.conftest import LATEST_WEEK

CONFIG = DeliveryConfig(
    smtp_host="127.0.0.1", smtp_from="coaching@example.com", slack_webhook_url=SecretStr("http://127.0.0.1:9/x")
)


@pytest.fixture(scope="module")
def week(reviews_url: str) -> WeekReviews:
    return collect_week(reviews_url, LATEST_WEEK)


def test_outbox_sends_reviews_to_their_readers_only(week: WeekReviews, tmp_path: Path) -> None:
    overrides_file = tmp_path / "recipients.yaml"
    overrides_file.write_text(
        "team_cc:\n  enterprise: [vp@example.com]\n"
        "opt_out: [U-0-2@example.com]\n"
        "slack_webhooks:\n  Mid-Market: http://127.0.0.1:9/mid-market\n",
        encoding="utf-8",
    )
    outgoing = plan_messages(week.reps, week.teams, CONFIG, load_overrides(overrides_file), None)
    emails = {(o.key.recipient, o.key.review) for o in outgoing if o.key.channel == "email"}
    assert ("u-0-1@example.com", "rep:u-0-1") in emails
    assert ("u-mgr-0@example.com", "team:u-mgr-0") in emails
    assert ("vp@example.com", "team:u-mgr-0") in emails and ("vp@example.com", "team:u-mgr-1") not in emails
    assert not any(recipient == "u-0-2@example.com" for recipient, _ in emails)
    assert all(review == f"rep:{recipient.split('@')[0]}" for recipient, review in emails if review.startswith("rep:"))
    inactive = {r.rep.email for r in week.reps if not r.rep.is_active}
    assert inactive and not inactive & {recipient for recipient, _ in emails}
    slack = {o.key.review: o for o in outgoing if o.key.channel == "slack"}
    assert slack["team:u-mgr-1"].key.recipient == "Mid-Market"
    assert slack["team:u-mgr-0"].key.recipient == "SLACK_WEBHOOK_URL"


def test_outbox_slack_summary_names_no_rep(week: WeekReviews) -> None:
    outgoing = plan_messages(week.reps, week.teams, CONFIG, load_overrides(None), "https://reviews.example.com/")
    slack = [o for o in outgoing if o.key.channel == "slack"]
    assert len(slack) == len(week.teams)
    names = {r.rep.name for r in week.reps} | {r.rep.email for r in week.reps}
    for message in slack:
        text = str(message.slack_payload)
        assert not [name for name in names if name in text]
        assert "coaching aids" in text and "https://reviews.example.com/2026-09-07/" in text


def test_outbox_email_carries_text_and_html_with_inline_charts(week: WeekReviews) -> None:
    outgoing = plan_messages(week.reps[:1], [], CONFIG, load_overrides(None), None)
    (message,) = [o.email for o in outgoing if o.email is not None]
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",))
    assert "data:image" not in html.get_content() and 'src="cid:chart1@' in html.get_content()
    assert [part.get_content_type() for part in message.walk()].count("image/png") == 1
    assert "coaching aids" in message.get_body(preferencelist=("plain",)).get_content()


def test_outbox_broken_recipients_file_names_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "recipients.yaml"
    broken.write_text("team_cc: [not, a, mapping]\nbcc: []\n", encoding="utf-8")
    with pytest.raises(ReviewConfigError, match=r"recipients.yaml.*team_cc.*bcc|recipients.yaml.*bcc.*team_cc"):
        load_overrides(broken)
    with pytest.raises(ReviewConfigError, match="cannot read"):
        load_overrides(tmp_path / "missing.yaml")
