"""Every environment variable the pipeline reads, typed and validated once."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODEL = "claude-sonnet-5-5"
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
REDACTION_KINDS = ("email", "phone", "card", "name")

# Secrets (and the webhook public key) may come from a file named by <VARIABLE>_FILE instead of the variable
# itself, e.g. a mounted Docker or Kubernetes secret; setting both is an error.
SECRET_FILE_FIELDS = (
    "gong_access_key",
    "gong_access_key_secret",
    "anthropic_api_key",
    "gong_webhook_secret",
    "gong_webhook_token",
    "gong_webhook_public_key",
    "coaching_alert_slack_webhook_url",
)

# Gong's call scopes (`scope` of /v2/calls), as COACHING_ANALYZE_SCOPES names them.
GONG_SCOPES = ("Internal", "External", "Unknown")
DEFAULT_ANALYZE_SCOPES = frozenset({"External", "Unknown"})


class BatchMode(StrEnum):
    """COACHING_USE_BATCHES: Message Batches for Claude analyses always, never, or for large backfills."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class SettingsError(ValueError):
    """Raised with one readable line per bad variable: its name, the value given and what is accepted."""


class Settings(BaseSettings):
    """Configuration; unset services fall back to embedded, offline defaults."""

    # A blank value means unset (the default), as the blank lines of .env.example intend: a blank
    # COACHING_HOME must not put the warehouse in the current folder.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str | None = Field(
        default=None, description="Postgres URL; unset starts an embedded server under COACHING_HOME."
    )
    coaching_pg_retry_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="How long a connection to Postgres is retried (with backoff) while the server is down or "
        "restarting, before the command gives up with one line; 0: no retry.",
    )
    coaching_home: Path = Field(
        default=Path.home() / ".coaching", description="Local state: embedded Postgres data, caches."
    )
    coaching_timezone: str = Field(default="UTC", description="IANA zone that defines a call's date.")
    coaching_start_date: str = Field(default="2026-08-03", description="First daily partition (YYYY-MM-DD).")
    coaching_teams_file: Path | None = Field(
        default=None, description="Optional YAML: user email or id -> team, when titles don't name the team."
    )

    gong_base_url: str | None = Field(default=None, description="Gong API host, e.g. https://acme.api.gong.io")
    gong_access_key: SecretStr | None = None
    gong_access_key_secret: SecretStr | None = None
    gong_requests_per_second: float = Field(default=3.0, gt=0, le=100)
    gong_daily_request_budget: int = Field(default=10_000, gt=0)
    gong_timeout_seconds: float = Field(default=30.0, gt=0)
    gong_max_retries: int = Field(default=5, ge=0, le=20)
    gong_backoff_seconds: float = Field(
        default=300.0, gt=0, le=86_400, description="First wait of the sensor after a failed poll; doubles per failure."
    )
    gong_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, le=86_400, description="Longest wait between polls while Gong is down."
    )

    gong_access_key_file: Path | None = None
    gong_access_key_secret_file: Path | None = None

    gong_webhook_public_key: SecretStr | None = Field(
        default=None, description="PEM (or bare base64) public key of the Gong rule's signed JWT header."
    )
    gong_webhook_public_key_file: Path | None = None
    gong_webhook_url: str | None = Field(
        default=None, description="The webhook URL registered in Gong; the JWT's webhook_url claim must equal it."
    )
    gong_webhook_secret: SecretStr | None = Field(default=None, description="HMAC-SHA256 key of the signature header.")
    gong_webhook_secret_file: Path | None = None
    gong_webhook_signature_header: str = Field(default="X-Gong-Signature", min_length=1)
    gong_webhook_token: SecretStr | None = Field(default=None, description="Secret token in the URL (?token=...).")
    gong_webhook_token_file: Path | None = None
    gong_webhook_max_body_bytes: int = Field(default=2_000_000, gt=0, le=100_000_000)
    gong_webhook_jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)

    anthropic_api_key: SecretStr | None = None
    anthropic_api_key_file: Path | None = None
    anthropic_base_url: str | None = None
    coaching_model: str = Field(default=DEFAULT_MODEL, description="Claude model used for analyses.")
    coaching_max_concurrency: int = Field(default=4, ge=1, le=64)
    coaching_run_spend_cap_usd: float = Field(default=25.0, ge=0)
    coaching_cache_ttl_days: int = Field(default=90, ge=1)
    coaching_breaker_threshold: int = Field(
        default=5, ge=1, le=100, description="Failed Claude requests in a row (5xx, 529, 429) that open the breaker."
    )
    coaching_breaker_cooldown_seconds: float = Field(
        default=60.0,
        ge=0,
        le=86_400,
        description="How long an open breaker defers all Claude work, in every run, before one probe request.",
    )

    coaching_rubrics_dir: Path | None = Field(default=None, description="Rubric folder; unset: the repo's rubrics/.")
    coaching_kb_dir: Path | None = Field(default=None, description="Knowledge-base folder; unset: the repo's kb/.")
    coaching_prices_file: Path | None = Field(
        default=None, description="YAML price table overriding the bundled analysis/prices.yaml."
    )
    coaching_input_tokens_per_minute: int = Field(
        default=400_000,
        ge=1_000,
        description="Token-bucket limit on estimated Claude input tokens per minute.",
    )
    coaching_transcript_token_budget: int = Field(
        default=60_000,
        ge=100,
        description="Transcripts longer than this are analysed in chunks, then merged.",
    )
    coaching_analyze_scopes: Annotated[frozenset[str], NoDecode] = Field(
        default=DEFAULT_ANALYZE_SCOPES,
        description="Comma-separated Gong call scopes to analyse (Internal, External, Unknown); the others "
        "are recorded as skipped. A call whose parties are all internal counts as Internal. Blank: default.",
    )
    coaching_use_batches: BatchMode = Field(
        default=BatchMode.AUTO,
        description="Message Batches (half price, results within 24 h) for Claude analyses: always, never, or "
        "auto (a run over more than one day with at least COACHING_BATCH_MIN_CALLS calls to analyse).",
    )
    coaching_batch_min_calls: int = Field(
        default=200, ge=1, description="Calls to analyse from which `auto` uses Message Batches for a backfill."
    )
    coaching_batch_poll_seconds: float = Field(
        default=10.0, ge=0, le=3600, description="Seconds between polls of a submitted Message Batch."
    )

    smtp_host: str | None = Field(default=None, description="SMTP server for review emails; unset: no email.")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = Field(default=None, description="From address of review emails.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection with STARTTLS.")
    slack_webhook_url: SecretStr | None = Field(
        default=None, description="Slack incoming webhook for team review summaries; unset: no Slack."
    )
    coaching_review_day: Weekday = Field(default="monday", description="Day the weekly reviews go out.")
    coaching_review_hour: int = Field(default=7, ge=0, le=23, description="Hour (COACHING_TIMEZONE) they go out.")
    coaching_review_recipients_file: Path | None = Field(
        default=None, description="Optional YAML: extra team-review recipients, opt-outs, per-team Slack webhooks."
    )
    coaching_review_base_url: str | None = Field(
        default=None, description="Where COACHING_HOME/reviews is served, so Slack summaries link the full report."
    )
    coaching_review_delivery_attempts: int = Field(default=3, ge=1, le=10)
    coaching_review_retry_seconds: float = Field(default=2.0, ge=0, le=300, description="First retry delay.")

    coaching_alert_slack_webhook_url: SecretStr | None = Field(
        default=None, description="Slack incoming webhook for pipeline alerts (failed runs, spend); unset: none."
    )
    coaching_alert_slack_webhook_url_file: Path | None = None
    coaching_dagster_ui_url: str = Field(
        default="http://localhost:3000", description="Where the Dagster UI is served, so alerts link the run."
    )
    coaching_daily_budget_usd: float = Field(
        default=50.0, ge=0, description="Claude dollars a day (COACHING_TIMEZONE) above which an alert goes out."
    )
    coaching_mart_freshness_hours: int = Field(
        default=72, ge=1, le=24 * 30, description="Hours after which a mart not rebuilt counts as stale."
    )
    coaching_log_format: Literal["text", "json"] = Field(
        default="text", description="The pipeline's own Python log lines: text, or one JSON object per line."
    )

    coaching_mcp_user: str | None = Field(
        default=None, description="stdio MCP server: email of the Gong user the session acts as."
    )
    coaching_mcp_role: str | None = Field(
        default=None, description="stdio MCP server: rep, manager or admin; unset: from the user's Gong role."
    )
    coaching_mcp_database_url: str | None = Field(
        default=None, description="The MCP app's own login (a member of role coaching_mcp); unset: DATABASE_URL."
    )
    coaching_mcp_jwks_url: str | None = Field(default=None, description="JWKS of the identity provider (HTTP).")
    coaching_mcp_jwt_public_key: str | None = Field(default=None, description="PEM key instead of a JWKS URL.")
    coaching_mcp_issuer: str | None = Field(default=None, description="Expected JWT issuer (HTTP).")
    coaching_mcp_audience: str | None = Field(default=None, description="Expected JWT audience (HTTP).")

    coaching_redaction: str = Field(
        default=",".join(REDACTION_KINDS),
        description="What is redacted before text leaves for Claude: email,phone,card,name (or 'off').",
    )
    coaching_redaction_deny_list_file: Path | None = Field(
        default=None, description="Names to redact, one per line ('#' starts a comment)."
    )
    coaching_transcript_retention_days: int = Field(
        default=365, ge=1, description="Transcripts, chunks and raw payloads of older calls are purged."
    )
    coaching_retention_keep_evidence: bool = Field(
        default=False, description="Keep evidence quotes of purged calls (default: drop them with the transcript)."
    )

    @field_validator(
        "coaching_rubrics_dir",
        "coaching_kb_dir",
        "coaching_review_recipients_file",
        "smtp_host",
        "smtp_from",
        "smtp_username",
        "smtp_password",
        "slack_webhook_url",
        "coaching_review_base_url",
        "coaching_redaction_deny_list_file",
        *SECRET_FILE_FIELDS,
        *(f"{name}_file" for name in SECRET_FILE_FIELDS),
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("coaching_review_day", mode="before")
    @classmethod
    def _weekday_name(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("coaching_analyze_scopes", mode="before")
    @classmethod
    def _gong_scopes(cls, value: object) -> object:
        """`External,unknown` -> {"External", "Unknown"}; a name Gong does not use is an error, not ignored."""
        if not isinstance(value, str):
            return value
        names = [part.strip() for part in value.split(",") if part.strip()]
        if not names:
            return DEFAULT_ANALYZE_SCOPES
        canonical = {scope.lower(): scope for scope in GONG_SCOPES}
        unknown = [name for name in names if name.lower() not in canonical]
        if unknown:
            raise ValueError(f"unknown scope {', '.join(map(repr, unknown))} (use {', '.join(GONG_SCOPES)})")
        return frozenset(canonical[name.lower()] for name in names)

    @field_validator("coaching_start_date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError("not a date: use YYYY-MM-DD, e.g. 2026-08-03") from None

    @field_validator("coaching_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. 'Europe/Berlin')") from exc
        return value

    @field_validator("coaching_mcp_role")
    @classmethod
    def _mcp_role(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if value not in ("rep", "manager", "admin"):
            raise ValueError("must be rep, manager or admin")
        return value

    @field_validator("database_url", "coaching_mcp_database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql://", "postgres://", "postgresql+")):
            raise ValueError("must be a postgresql:// URL")
        return value

    @field_validator(*(f"{name}_file" for name in SECRET_FILE_FIELDS), "coaching_redaction_deny_list_file")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("coaching_redaction")
    @classmethod
    def _redaction_kinds(cls, value: str) -> str:
        """Blank means the default (everything); only an explicit `off` turns redaction off."""
        if not value.strip():
            return ",".join(REDACTION_KINDS)
        kinds = {k.strip().lower() for k in value.split(",") if k.strip()} - {"off", "none"}
        unknown = kinds - set(REDACTION_KINDS)
        if unknown:
            raise ValueError(f"unknown redaction kind(s) {sorted(unknown)}; use {','.join(REDACTION_KINDS)} or off")
        return ",".join(k for k in REDACTION_KINDS if k in kinds)

    @model_validator(mode="after")
    def _secrets_from_files(self) -> Settings:
        """<VARIABLE>_FILE fills <VARIABLE> with the file's content (surrounding whitespace dropped)."""
        for name in SECRET_FILE_FIELDS:
            path: Path | None = getattr(self, f"{name}_file")
            if path is None:
                continue
            if getattr(self, name) is not None:
                raise ValueError(f"set {name.upper()} or {name.upper()}_FILE, not both")
            setattr(self, name, SecretStr(path.read_text(encoding="utf-8").strip()))
        return self

    @field_validator(
        "gong_base_url", "anthropic_base_url", "gong_webhook_url", "coaching_review_base_url", "coaching_dagster_ui_url"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.coaching_timezone)

    @property
    def gong_configured(self) -> bool:
        return bool(self.gong_base_url and self.gong_access_key and self.gong_access_key_secret)

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    @property
    def claude_configured(self) -> bool:
        return self.anthropic_api_key is not None and bool(self.anthropic_api_key.get_secret_value())

    @property
    def redaction_kinds(self) -> frozenset[str]:
        return frozenset(k for k in self.coaching_redaction.split(",") if k)

    def from_file(self, name: str) -> bool:
        """Whether the secret `name` (a field name) came from its _FILE variable rather than the environment."""
        return getattr(self, f"{name}_file") is not None


def load_settings() -> Settings:
    """Read the environment, turning pydantic's report into one clear line per variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError("\n".join(_describe(err) for err in exc.errors())) from None


def _describe(error: Any) -> str:
    """`NAME='value': what is wrong and what is accepted`, from one of pydantic's errors."""
    message = str(error["msg"]).removeprefix("Value error, ")
    if not error["loc"]:
        return message
    name = "_".join(str(part) for part in error["loc"]).upper()
    given = error.get("input")
    return f"{name}={given!r}: {message}" if isinstance(given, str | int | float) else f"{name}: {message}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
