"""One purge: transcript text of calls older than the retention window goes; scores, criteria, stats and
fingerprints stay; the purge and its row counts are recorded in coaching.retention_purges."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from psycopg.types.json import Jsonb
from pydantic import BaseModel

from coaching_pipeline.retention import queries
from coaching_pipeline.warehouse.db import connect


class PurgeReport(BaseModel):
    purge_id: int
    cutoff_date: date
    retention_days: int
    kept_evidence: bool
    triggered_by: str
    rows_affected: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows_affected.values())


def cutoff_for(today: date, retention_days: int) -> date:
    """Calls dated before this day are purged: the window is the last `retention_days` days, today included."""
    return today - timedelta(days=retention_days - 1)


def purge_expired(
    url: str,
    *,
    today: date,
    retention_days: int,
    keep_evidence: bool,
    tz: ZoneInfo,
    triggered_by: str,
    run_id: str | None = None,
) -> PurgeReport:
    """Run every purge statement and the audit insert in one transaction: all of it happens, or none."""
    started_at = datetime.now(tz)
    cutoff = cutoff_for(today, retention_days)
    params = {"cutoff": cutoff, "cutoff_at": datetime.combine(cutoff, time.min, tzinfo=tz)}
    statements = queries.PURGE_TRANSCRIPT_TEXT + ([] if keep_evidence else queries.DROP_EVIDENCE)
    affected: dict[str, int] = {}
    with connect(url) as conn:
        for table, sql in statements:
            if not conn.execute(queries.TABLE_EXISTS, {"table": table}).fetchone()["present"]:
                continue  # a mart dbt has not built yet
            affected[table] = affected.get(table, 0) + conn.execute(sql, params).rowcount
        row = conn.execute(
            queries.INSERT_AUDIT,
            {
                "cutoff_date": cutoff,
                "retention_days": retention_days,
                "kept_evidence": keep_evidence,
                "triggered_by": triggered_by,
                "run_id": run_id,
                "rows_affected": Jsonb(affected),
                "started_at": started_at,
            },
        ).fetchone()
    return PurgeReport(
        purge_id=row["purge_id"],
        cutoff_date=cutoff,
        retention_days=retention_days,
        kept_evidence=keep_evidence,
        triggered_by=triggered_by,
        rows_affected=affected,
    )
