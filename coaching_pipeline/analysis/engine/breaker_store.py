"""The Claude circuit breaker kept in Postgres (coaching.claude_breaker), so it outlives the run that opened it;
each opening and closing is also a pipeline event (breaker_opened, breaker_closed)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer
from coaching_pipeline.analysis.claude.resilience import BreakerSnapshot
from coaching_pipeline.analysis.engine import queries
from coaching_pipeline.warehouse.db import connect
from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event


def breaker_name(analyzer: ClaudeAnalyzer) -> str:
    """One breaker per endpoint the analyzer talks to (the API, a proxy, a simulator): its base URL."""
    return str(analyzer.client.base_url).rstrip("/")


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat() if epoch is not None else None


class PostgresBreakerStore:
    """Implements `resilience.BreakerStore`; one short autocommit transaction per change (changes are rare:
    failures and state transitions, never a plain success)."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name

    def load(self) -> BreakerSnapshot:
        with connect(self.url, autocommit=True) as conn:
            row = conn.execute(queries.SELECT_BREAKER, {"name": self.name}).fetchone()
        if row is None:
            return BreakerSnapshot()
        return BreakerSnapshot(row["state"], row["failures"], row["opened_at"], row["open_until"], row["reason"])

    def save(self, snapshot: BreakerSnapshot, previous: BreakerSnapshot) -> None:
        transition = (snapshot.state, snapshot.opened_at) != (previous.state, previous.opened_at)
        row: dict[str, Any] = {"name": self.name, "transition": transition, **asdict(snapshot)}
        with connect(self.url) as conn:
            conn.execute(queries.UPSERT_BREAKER, row)
            if snapshot.state == "open" and snapshot.opened_at != previous.opened_at:
                record_pipeline_event(
                    conn,
                    "breaker_opened",
                    event_key=f"breaker_opened:{self.name}:{_iso(snapshot.opened_at)}",
                    detail={
                        "breaker": self.name,
                        "reason": snapshot.reason,
                        "failures": snapshot.failures,
                        "open_until": _iso(snapshot.open_until),
                        "probe_failed": previous.state == "open",
                    },
                )
            elif snapshot.state == "closed" and previous.state == "open":
                record_pipeline_event(
                    conn,
                    "breaker_closed",
                    event_key=f"breaker_closed:{self.name}:{_iso(previous.opened_at)}",
                    detail={"breaker": self.name, "opened_at": _iso(previous.opened_at), "reason": previous.reason},
                )
