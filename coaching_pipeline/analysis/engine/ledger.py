"""The cost ledger: one coaching.llm_requests row per request, successful or not, priced at list prices."""

from __future__ import annotations

import psycopg

from coaching_pipeline.analysis.engine import queries
from coaching_pipeline.analysis.ledger_entry import LedgerEntry


def record(conn: psycopg.Connection, entry: LedgerEntry) -> bool:
    """Insert the row; False when a row with the same request id and mode exists (a re-collected batch)."""
    cursor = conn.execute(queries.INSERT_LEDGER, entry.row())
    return cursor.rowcount == 1


def run_spend(conn: psycopg.Connection, run_id: str) -> float:
    """Dollars the ledger already holds for this run, so a resumed run keeps counting towards its cap."""
    row = conn.execute(queries.RUN_SPEND, {"run_id": run_id}).fetchone()
    return float(row["spent"]) if row else 0.0
