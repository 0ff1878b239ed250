"""Typed Dagster resources for the warehouse, Gong and the analyzer; secrets arrive via dg.EnvVar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import SecretStr

from coaching_pipeline.analysis.engine import build_analyzer
from coaching_pipeline.analysis.request import Analyzer
from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.ingestion.request_budget import PostgresBudget
from coaching_pipeline.reviews.deliver import DeliveryConfig
from coaching_pipeline.reviews.recipients import RecipientOverrides, load_overrides
from coaching_pipeline.settings import Settings, get_settings
from coaching_pipeline.warehouse.db import database_url, ensure_migrated


class WarehouseResource(dg.ConfigurableResource):
    """Postgres: DATABASE_URL when set, else the embedded server. Migrations apply on first use."""

    database_url: str | None = None

    def url(self) -> str:
        return ensure_migrated(self.database_url or database_url())


class GongResource(dg.ConfigurableResource):
    """Gong's API. Fields left unset come from GONG_* when a run starts; without a base URL and key pair,
    every use fails with GongConfigurationError naming the variables (the demo serves a sample tenant
    locally and sets them, like any other Gong)."""

    base_url: str | None = None
    access_key: str | None = None
    access_key_secret: str | None = None
    requests_per_second: float = 3.0
    daily_request_budget: int = 10_000
    max_retries: int = 5

    def settings(self) -> Settings:
        updates: dict[str, Any] = {
            "gong_requests_per_second": self.requests_per_second,
            "gong_max_retries": self.max_retries,
        }
        if self.base_url:
            updates["gong_base_url"] = self.base_url.rstrip("/")
        if self.access_key:
            updates["gong_access_key"] = SecretStr(self.access_key)
        if self.access_key_secret:
            updates["gong_access_key_secret"] = SecretStr(self.access_key_secret)
        return get_settings().model_copy(update=updates)

    @contextmanager
    def client(self, warehouse_url: str) -> Iterator[GongClient]:
        budget = PostgresBudget(warehouse_url, self.daily_request_budget)
        with GongClient.from_settings(self.settings(), budget=budget) as gong:
            yield gong


class AnalyzerResource(dg.ConfigurableResource):
    """Claude when an API key is configured, else the deterministic offline analyzer. Whether a run uses
    Message Batches is COACHING_USE_BATCHES, or the analysis assets' run config (AnalysisConfig)."""

    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    model: str | None = None

    def settings(self) -> Settings:
        updates: dict[str, Any] = {}
        if self.anthropic_api_key:
            updates["anthropic_api_key"] = SecretStr(self.anthropic_api_key)
        if self.anthropic_base_url:
            updates["anthropic_base_url"] = self.anthropic_base_url
        if self.model:
            updates["coaching_model"] = self.model
        return get_settings().model_copy(update=updates)

    def analyzer(self) -> Analyzer:
        return build_analyzer(self.settings())


class ReviewDeliveryResource(dg.ConfigurableResource):
    """Where the weekly reviews go: SMTP, a Slack incoming webhook and the recipients file. With neither SMTP
    nor Slack configured, a run is a dry run that only writes the files under output_dir."""

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    slack_webhook_url: str | None = None
    recipients_file: str | None = None
    base_url: str | None = None
    output_dir: str | None = None
    attempts: int = 3
    retry_seconds: float = 2.0

    def config(self) -> DeliveryConfig:
        """The same fields, secrets wrapped as SecretStr again; blank values count as unset."""
        return DeliveryConfig(**{name: getattr(self, name) for name in DeliveryConfig.model_fields})

    def overrides(self) -> RecipientOverrides:
        return load_overrides(Path(self.recipients_file) if self.recipients_file else None)

    def week_dir(self, week_start: str) -> Path:
        root = Path(self.output_dir) if self.output_dir else get_settings().coaching_home / "reviews"
        return root / week_start


class AlertsResource(dg.ConfigurableResource):
    """Where pipeline alerts go (a Slack incoming webhook), the Dagster UI they link, and the daily budget."""

    slack_webhook_url: str | None = None
    dagster_ui_url: str = "http://localhost:3000"
    daily_budget_usd: float = 50.0

    def webhook(self) -> SecretStr | None:
        """The configured webhook, else COACHING_ALERT_SLACK_WEBHOOK_URL(_FILE) read now; None: no Slack."""
        if self.slack_webhook_url:
            return SecretStr(self.slack_webhook_url)
        return get_settings().coaching_alert_slack_webhook_url


def alerts(settings: Settings) -> AlertsResource:
    """From the settings; the webhook as dg.EnvVar (unless read from a file), so the UI shows only its name."""
    from_env = settings.coaching_alert_slack_webhook_url and not settings.from_file("coaching_alert_slack_webhook_url")
    return AlertsResource(
        dagster_ui_url=settings.coaching_dagster_ui_url,
        daily_budget_usd=settings.coaching_daily_budget_usd,
        **({"slack_webhook_url": dg.EnvVar("COACHING_ALERT_SLACK_WEBHOOK_URL")} if from_env else {}),
    )


def review_delivery(settings: Settings) -> ReviewDeliveryResource:
    """From the settings; the SMTP password and Slack webhook as dg.EnvVar, so the UI shows only their names."""
    return ReviewDeliveryResource(
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        smtp_username=settings.smtp_username,
        smtp_from=settings.smtp_from,
        smtp_starttls=settings.smtp_starttls,
        recipients_file=str(settings.coaching_review_recipients_file or "") or None,
        base_url=settings.coaching_review_base_url,
        attempts=settings.coaching_review_delivery_attempts,
        retry_seconds=settings.coaching_review_retry_seconds,
        **({"smtp_password": dg.EnvVar("SMTP_PASSWORD")} if settings.smtp_password else {}),
        **({"slack_webhook_url": dg.EnvVar("SLACK_WEBHOOK_URL")} if settings.slack_webhook_url else {}),
    )


def build_resources(settings: Settings | None = None) -> dict[str, Any]:
    """The code location's resources. Configured secrets are wired as dg.EnvVar so the UI shows the variable's
    name, never its value; unset ones, and secrets read from a *_FILE, come from the settings when a run
    starts (so no secret ever sits in resource config)."""
    settings = settings or get_settings()
    gong_env = {"base_url": dg.EnvVar("GONG_BASE_URL")}
    for field, variable in (("access_key", "gong_access_key"), ("access_key_secret", "gong_access_key_secret")):
        if not settings.from_file(variable):
            gong_env[field] = dg.EnvVar(variable.upper())
    gong = GongResource(
        requests_per_second=settings.gong_requests_per_second,
        daily_request_budget=settings.gong_daily_request_budget,
        max_retries=settings.gong_max_retries,
        **(gong_env if settings.gong_configured else {}),
    )
    analyzer = (
        AnalyzerResource(anthropic_api_key=dg.EnvVar("ANTHROPIC_API_KEY"))
        if settings.claude_configured and not settings.from_file("anthropic_api_key")
        else AnalyzerResource()
    )
    return {
        "warehouse": WarehouseResource(),
        "gong": gong,
        "analyzer": analyzer,
        "review_delivery": review_delivery(settings),
        "alerts": alerts(settings),
    }
