"""The engine's knobs, filled from settings; tests override a few (tiny budgets, short cool-downs)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coaching_pipeline.analysis.claude.resilience import RetryPolicy
from coaching_pipeline.settings import DEFAULT_ANALYZE_SCOPES, Settings
from coaching_pipeline.transcripts.redaction import RedactionPolicy, parse_deny_list


class EngineOptions(BaseModel):
    """Knobs of one engine; `from_settings` fills them from the environment, tests override a few."""

    max_concurrency: int = Field(default=4, ge=1)
    input_tokens_per_minute: int = Field(default=400_000, ge=1)
    spend_cap_usd: float = Field(default=25.0, ge=0)
    cache_ttl_days: int = Field(default=90, ge=1)
    transcript_token_budget: int = Field(default=60_000, ge=50)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    breaker_threshold: int = Field(default=5, ge=1)
    breaker_cooldown_seconds: float = Field(default=60.0, ge=0)
    batch_poll_seconds: float = Field(default=10.0, ge=0)
    batch_max_wait_seconds: float = Field(default=26 * 3600.0, ge=0)
    analyze_scopes: frozenset[str] = Field(default=DEFAULT_ANALYZE_SCOPES, description="COACHING_ANALYZE_SCOPES")
    redaction: RedactionPolicy = Field(default_factory=RedactionPolicy)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> EngineOptions:
        values: dict[str, object] = {
            "max_concurrency": settings.coaching_max_concurrency,
            "input_tokens_per_minute": settings.coaching_input_tokens_per_minute,
            "spend_cap_usd": settings.coaching_run_spend_cap_usd,
            "cache_ttl_days": settings.coaching_cache_ttl_days,
            "transcript_token_budget": settings.coaching_transcript_token_budget,
            "batch_poll_seconds": settings.coaching_batch_poll_seconds,
            "breaker_threshold": settings.coaching_breaker_threshold,
            "breaker_cooldown_seconds": settings.coaching_breaker_cooldown_seconds,
            "analyze_scopes": settings.coaching_analyze_scopes,
            "redaction": redaction_policy(settings),
        }
        return cls(**{**values, **overrides})


def redaction_policy(settings: Settings) -> RedactionPolicy:
    """COACHING_REDACTION's kinds and the names of COACHING_REDACTION_DENY_LIST_FILE."""
    path = settings.coaching_redaction_deny_list_file
    names = parse_deny_list(path.read_text(encoding="utf-8").splitlines()) if path else ()
    return RedactionPolicy(kinds=settings.redaction_kinds, names=names)
