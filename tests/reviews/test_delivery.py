"""Delivery through Dagster to a real SMTP server and a local Slack webhook: each message exactly once, failures
retried then recorded and shown as a failed check, and a rep's email free of other reps' names and numbers."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from coaching_pipeline.defs.resources import ReviewDeliveryResource, WarehouseResource
from coaching_pipeline.defs.reviews import DELIVERED_CHECK, weekly_reviews
from tests.reviews.conftest import LATEST_WEEK
from tests.reviews.servers import LocalSlack, LocalSmtp

pytestmark = pytest.mark.usefixtures("clean_ledger")


def _scheduled_partition() -> str:
    """The partition weekly_reviews_schedule asks for on the Monday after the latest week, at 07:00."""
    from coaching_pipeline.definitions import defs

    schedule = defs.resolve_schedule_def("weekly_reviews_schedule")
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 9, 14, 7, tzinfo=UTC))
    request = schedule(context)
    assert isinstance(request, dg.RunRequest)
    return str(request.partition_key)


def _materialize(
    url: str, out_dir: Path, smtp: LocalSmtp | None, slack: LocalSlack | None, **extra: object
) -> dg.ExecuteInProcessResult:
    delivery = ReviewDeliveryResource(
        smtp_host="127.0.0.1" if smtp else None,
        smtp_port=smtp.port if smtp else 587,
        smtp_from="coaching@example.com" if smtp else None,
        smtp_starttls=False,
        slack_webhook_url=slack.url if slack else None,
        output_dir=str(out_dir),
        attempts=3,
        retry_seconds=0.01,
        **extra,  # type: ignore[arg-type]
    )
    return dg.materialize(
        [weekly_reviews],
        partition_key=_scheduled_partition(),
        resources={"warehouse": WarehouseResource(database_url=url), "review_delivery": delivery},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def _check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    return next(e for e in result.get_asset_check_evaluations() if e.check_name == DELIVERED_CHECK)


def _ledger(url: str) -> list[dict]:
    with psycopg.connect(url, row_factory=psycopg.rows.dict_row) as conn:
        return conn.execute("select * from coaching.review_deliveries order by channel, recipient").fetchall()


def _expected_emails(url: str) -> set[str]:
    """Active reps with scored calls in the week, and their managers."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """select distinct r.email, m.email from marts.call_scores s join marts.reps r on r.user_id = s.rep_user_id
               left join marts.reps m on m.user_id = r.manager_user_id
               where s.week_start = %s and r.is_rep""",
            (LATEST_WEEK,),
        ).fetchall()
        inactive = {e for (e,) in conn.execute("select email from marts.reps where not is_active")}
    return ({rep for rep, _ in rows} | {manager for _, manager in rows if manager}) - inactive


def test_schedule_requests_last_weeks_partition() -> None:
    assert _scheduled_partition() == LATEST_WEEK.isoformat()


def test_weekly_reviews_send_each_message_exactly_once(
    reviews_url: str, out_dir: Path, smtp_server: LocalSmtp, slack_server: LocalSlack
) -> None:
    first = _materialize(reviews_url, out_dir, smtp_server, slack_server)
    assert first.success and _check(first).passed
    per_recipient = Counter(m["To"] for m in smtp_server.messages)
    assert set(per_recipient) == _expected_emails(reviews_url)
    assert set(per_recipient.values()) == {1}
    assert len(slack_server.payloads) == 3  # one summary per manager's team
    metadata = first.asset_materializations_for_node("weekly_reviews")[0].metadata
    assert metadata["sent"].value == len(smtp_server.messages) + 3 and metadata["failed"].value == 0

    again = _materialize(reviews_url, out_dir, smtp_server, slack_server)
    assert again.success and _check(again).passed
    assert len(smtp_server.messages) == sum(per_recipient.values()) and len(slack_server.payloads) == 3
    assert again.asset_materializations_for_node("weekly_reviews")[0].metadata["already_sent"].value == len(
        _ledger(reviews_url)
    )
    assert {row["status"] for row in _ledger(reviews_url)} == {"sent"}


def test_weekly_reviews_retry_then_record_a_failed_delivery(
    reviews_url: str, out_dir: Path, smtp_server: LocalSmtp, slack_server: LocalSlack
) -> None:
    refused = "u-0-1@example.com"
    smtp_server.refuse.add(refused)
    slack_server.failures_left = -1  # Slack answers 500 to everything
    result = _materialize(reviews_url, out_dir, smtp_server, slack_server)
    assert result.success
    check = _check(result)
    assert not check.passed and refused in check.metadata["failures"].value
    assert smtp_server.attempts[refused] == 3 and slack_server.requests == 3 * 3
    failed = {(r["channel"], r["recipient"]): r for r in _ledger(reviews_url) if r["status"] == "failed"}
    assert failed[("email", refused)]["attempts"] == 3
    assert "550" in failed[("email", refused)]["last_error"]
    assert all("500" in r["last_error"] for (channel, _), r in failed.items() if channel == "slack")

    smtp_server.refuse.clear()
    slack_server.failures_left = 0
    delivered_before = Counter(m["To"] for m in smtp_server.messages)
    retried = _materialize(reviews_url, out_dir, smtp_server, slack_server)
    assert _check(retried).passed
    delivered = Counter(m["To"] for m in smtp_server.messages) - delivered_before
    assert dict(delivered) == {refused: 1}
    assert len(slack_server.payloads) == 3
    assert {row["status"] for row in _ledger(reviews_url)} == {"sent"}


def test_weekly_reviews_rep_email_holds_no_other_reps_names_or_numbers(
    reviews_url: str, out_dir: Path, smtp_server: LocalSmtp
) -> None:
    assert _materialize(reviews_url, out_dir, smtp_server, None).success
    rep = "u-0-1"
    (message,) = smtp_server.to(f"{rep}@example.com")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    with psycopg.connect(reviews_url, row_factory=psycopg.rows.dict_row) as conn:
        people = conn.execute("select user_id, full_name, email from marts.reps where user_id <> %s", (rep,)).fetchall()
        trends = conn.execute(
            "select rep_user_id, mean_score from marts.rep_weekly_trends where week_start = %s", (LATEST_WEEK,)
        ).fetchall()
    for other in people:
        assert other["full_name"] not in text + html and other["email"] not in text + html
    shown = set(re.findall(r"\d\.\d\d", text))
    own = {f"{t['mean_score']:.2f}" for t in trends if t["rep_user_id"] == rep}
    assert own <= shown
    # Another rep's weekly mean shows only where the same figure is also one of this review's own numbers.
    foreign = {f"{t['mean_score']:.2f}" for t in trends if t["rep_user_id"] != rep}
    allowed = _own_numbers(reviews_url, rep)
    assert (foreign & shown) <= allowed


def _own_numbers(url: str, rep: str) -> set[str]:
    """Every figure the rep's own review may show: its own rows, and team and role averages."""
    from coaching_pipeline.reviews.formatting import change, score
    from coaching_pipeline.reviews.rep_review import build_rep_review

    with psycopg.connect(url, row_factory=psycopg.rows.dict_row) as conn:
        review = build_rep_review(conn, rep, LATEST_WEEK)
    numbers: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, float):
            numbers.update({score(value), change(value).lstrip("+-")})
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(review.model_dump())
    return numbers


def test_weekly_reviews_without_delivery_settings_is_a_dry_run(reviews_url: str, out_dir: Path) -> None:
    result = _materialize(reviews_url, out_dir, None, None)
    assert result.success and _check(result).passed
    metadata = result.asset_materializations_for_node("weekly_reviews")[0].metadata
    assert metadata["dry_run"].value is True and metadata["sent"].value == 0
    written = sorted(p.name for p in (out_dir / LATEST_WEEK.isoformat()).iterdir())
    assert len(written) == 2 * (metadata["rep_reviews"].value + metadata["team_reviews"].value)
    assert _ledger(reviews_url) == []
