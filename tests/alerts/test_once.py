"""send_alert_once: one post per key, a failed post recorded and tried again later; alert text keeps no secret."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from pydantic import SecretStr

from coaching_pipeline.alerts.once import send_alert_once
from coaching_pipeline.alerts.scrub import scrub
from tests.reviews.servers import LocalSlack

KEY = "alert:run_failed:run-slack-down"


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack.running() as server:
        yield server


def _kinds(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select kind, event_key from coaching.pipeline_events where event_key like %s", (f"{KEY}%",)
        )
        return sorted((kind, key) for kind, key in rows)


def test_send_alert_once_records_a_failure_and_sends_when_slack_is_back(
    isolated_database_url: str, slack: LocalSlack
) -> None:
    webhook = SecretStr(slack.url)
    slack.failures_left = -1
    down = send_alert_once(isolated_database_url, KEY, {"text": "run failed"}, webhook, retry_seconds=0)
    slack.failures_left = 0
    back = send_alert_once(isolated_database_url, KEY, {"text": "run failed"}, webhook, retry_seconds=0)
    again = send_alert_once(isolated_database_url, KEY, {"text": "run failed"}, webhook, retry_seconds=0)

    assert (down, back, again) == ("failed", "sent", "already_sent")
    assert len(slack.payloads) == 1
    assert _kinds(isolated_database_url) == [("alert_failed", f"{KEY}:failed"), ("alert_sent", KEY)]


def test_send_alert_once_without_a_webhook_sends_nothing(isolated_database_url: str) -> None:
    assert send_alert_once(isolated_database_url, "alert:run_failed:no-webhook", {"text": "x"}, None) == "no_webhook"


def test_scrub_hides_known_secrets_and_url_credentials() -> None:
    text = "key sk-ant-123456 refused; postgresql://coach:pw@db/coaching and https://hooks.example/T1/B2/abc"
    scrubbed = scrub(text, ["sk-ant-123456", "https://hooks.example/T1/B2/abc"])
    assert scrubbed == "key *** refused; postgresql://***@db/coaching and ***"
