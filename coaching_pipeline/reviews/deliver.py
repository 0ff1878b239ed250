"""Send reviews by SMTP (smtplib) and Slack incoming webhook (httpx), each message once, with retries."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import httpx
from pydantic import BaseModel, SecretStr, field_validator

from coaching_pipeline.alerts.slack import post_slack
from coaching_pipeline.reviews import ledger
from coaching_pipeline.reviews.ledger import DeliveryKey
from coaching_pipeline.settings import Settings

TIMEOUT_SECONDS = 30.0


class DeliveryConfig(BaseModel):
    """How to deliver: SMTP_*, SLACK_WEBHOOK_URL and the retry policy; unset channels are not used."""

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    slack_webhook_url: SecretStr | None = None
    attempts: int = 3
    retry_seconds: float = 2.0

    @field_validator("smtp_host", "smtp_username", "smtp_password", "smtp_from", "slack_webhook_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        return cls(
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            smtp_username=settings.smtp_username,
            smtp_password=settings.smtp_password,
            smtp_from=settings.smtp_from,
            smtp_starttls=settings.smtp_starttls,
            slack_webhook_url=settings.slack_webhook_url,
            attempts=settings.coaching_review_delivery_attempts,
            retry_seconds=settings.coaching_review_retry_seconds,
        )


class Outgoing(BaseModel):
    """One message to send: its ledger key and either an email or a Slack payload with its webhook."""

    model_config = {"arbitrary_types_allowed": True}

    key: DeliveryKey
    email: EmailMessage | None = None
    slack_payload: dict[str, Any] | None = None
    webhook: SecretStr | None = None


class Delivered(BaseModel):
    key: DeliveryKey
    outcome: str  # sent | failed | skipped (sent before, or held by another sender)
    attempts: int = 0
    error: str | None = None


def send_email(config: DeliveryConfig, message: EmailMessage) -> None:
    with smtplib.SMTP(config.smtp_host or "", config.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if config.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.smtp_username and config.smtp_password:
            smtp.login(config.smtp_username, config.smtp_password.get_secret_value())
        smtp.send_message(message)


def with_retries(send: Callable[[], None], attempts: int, first_delay: float) -> tuple[int, str | None]:
    """Call `send` until it succeeds, at most `attempts` times, doubling the delay between tries.
    Returns (attempts made, None) on success or (attempts made, the last error) on failure."""
    error: str | None = None
    for attempt in range(1, attempts + 1):
        try:
            send()
            return attempt, None
        except (smtplib.SMTPException, OSError, httpx.HTTPError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            if attempt < attempts:
                time.sleep(first_delay * 2 ** (attempt - 1))
    return attempts, error


def deliver(url: str, outgoing: list[Outgoing], config: DeliveryConfig) -> list[Delivered]:
    """Send each message the ledger lets this caller claim; record every outcome in the ledger."""
    results = []
    for item in outgoing:
        if not ledger.claim(url, item.key):
            results.append(Delivered(key=item.key, outcome="skipped"))
            continue
        try:
            attempts, error = with_retries(_sender(item, config), config.attempts, config.retry_seconds)
        except Exception as exc:  # not a transport error: recorded as failed without retrying, the rest go on
            attempts, error = 1, f"{type(exc).__name__}: {exc}"[:500]
        ledger.finish(url, item.key, sent=error is None, attempts=attempts, error=error)
        results.append(
            Delivered(key=item.key, outcome="sent" if error is None else "failed", attempts=attempts, error=error)
        )
    return results


def _sender(item: Outgoing, config: DeliveryConfig) -> Callable[[], None]:
    if item.email is not None:
        message = item.email
        return lambda: send_email(config, message)
    if item.slack_payload is not None and item.webhook is not None:
        payload, webhook = item.slack_payload, item.webhook
        return lambda: post_slack(webhook, payload)
    raise ValueError(f"nothing to send for {item.key}")
