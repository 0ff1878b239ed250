"""Typed Dagster resources for the warehouse, Gong and the analyzer; secrets arrive via dg.EnvVar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
from pydantic import SecretStr

from coaching_pipeline.settings import Settings, get_settings
from coaching_pipeline.warehouse.db import database_url, ensure_migrated
from coaching_sandbox.simulators.sample import GongEndpoint, sample_gong_endpoint


class WarehouseResource(dg.ConfigurableResource):
    """Postgres: DATABASE_URL when set, else the embedded server. Migrations apply on first use."""

    database_url: str | None = None

    def url(self) -> str:
        return ensure_migrated(self.database_url or database_url())


class GongResource(dg.ConfigurableResource):
    """Gong's API; with no credentials, the sample corpus through the local simulator (same client, same HTTP)."""

    base_url: str | None = None
    access_key: str | None = None
    access_key_secret: str | None = None
    requests_per_second: float = 3.0
    daily_request_budget: int = 10_000
    max_retries: int = 5

    def endpoint(self) -> GongEndpoint:
        if self.base_url and self.access_key and self.access_key_secret:
            return GongEndpoint(
                base_url=self.base_url,
                access_key=self.access_key,
                access_key_secret=self.access_key_secret,
                is_sample=False,
            )
        return sample_gong_endpoint()

    @contextmanager
    def client(self, warehouse_url: str) -> Iterator[Any]:
        from coaching_pipeline.gong.client import GongClient
        from coaching_pipeline.ingestion.request_budget import PostgresBudget

        endpoint = self.endpoint()
        with GongClient(
            endpoint.base_url,
            endpoint.access_key,
            endpoint.access_key_secret,
            requests_per_second=self.requests_per_second,
            max_retries=self.max_retries,
            budget=PostgresBudget(warehouse_url, self.daily_request_budget),
        ) as gong:
            yield gong


class AnalyzerResource(dg.ConfigurableResource):
    """Claude when an API key is configured, else the deterministic offline analyzer."""

    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    model: str | None = None
    use_batches: bool = False

    def settings(self) -> Settings:
        base = get_settings()
        updates: dict[str, Any] = {}
        if self.anthropic_api_key:
            updates["anthropic_api_key"] = SecretStr(self.anthropic_api_key)
        if self.anthropic_base_url:
            updates["anthropic_base_url"] = self.anthropic_base_url
        if self.model:
            updates["coaching_model"] = self.model
        return base.model_copy(update=updates)

    def analyzer(self) -> Any:
        from coaching_pipeline.analysis.engine.core import build_analyzer

        return build_analyzer(self.settings())


def build_resources(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or get_settings()
    gong = (
        GongResource(
            base_url=dg.EnvVar("GONG_BASE_URL"),
            access_key=dg.EnvVar("GONG_ACCESS_KEY"),
            access_key_secret=dg.EnvVar("GONG_ACCESS_KEY_SECRET"),
            requests_per_second=settings.gong_requests_per_second,
            daily_request_budget=settings.gong_daily_request_budget,
        )
        if settings.gong_configured
        else GongResource()
    )
    analyzer = (
        AnalyzerResource(anthropic_api_key=dg.EnvVar("ANTHROPIC_API_KEY"))
        if settings.claude_configured
        else (AnalyzerResource())
    )
    return {"warehouse": WarehouseResource(), "gong": gong, "analyzer": analyzer}
