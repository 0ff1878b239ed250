"""Bulk-load synthetic rows with COPY, parents before children, for the dbt tests and the marts benchmark."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import psycopg

from coaching_sandbox.warehouse.synthetic import Rows, SyntheticSpec, day_rows, reference_rows

COLUMNS = {
    "raw.users": "user_id, email, first_name, last_name, title, manager_id, is_active, role, team, payload",
    "raw.calls": "call_id, call_date, started_at, duration_seconds, title, url, primary_user_id, call_type, "
    "payload, transcript_status",
    "raw.transcripts": "call_id, payload, normalized, sha256, token_count, turn_count, sentence_count",
    "coaching.rubrics": "dimension, version, content_hash, content",
    "coaching.call_analyses": "call_id, dimension, rubric_version, prompt_version, model, analyzer, "
    "cache_key, transcript_sha256, call_date, rep_user_id, overall_score, criterion_scores, evidence, "
    "evidence_count, unverified_quote_count, analyzed_at",
    "coaching.analysis_failures": "call_id, dimension, rubric_version, status, reason, call_date, recorded_at",
    "coaching.call_interaction_stats": "call_id, rep_user_id, call_date, transcript_sha256, rep_talk_ratio, "
    "longest_monologue_seconds, longest_customer_story_seconds, rep_question_count, customer_question_count, "
    "interactivity, patience_seconds",
    "coaching.llm_requests": "request_id, call_id, call_date, dimension, model, mode, status, attempt, "
    "input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens, cost_usd, error, "
    "requested_at",
    "coaching.cache_events": "cache_key, call_id, call_date, dimension, model, is_hit, saved_usd, occurred_at",
    "raw.ingestion_issues": "call_id, stage, severity, reason, detail, call_date",
    "coaching.analysis_skips": "call_id, call_date, scope, reason, detail",
}


def copy_rows(conn: psycopg.Connection, rows: Rows, order: Sequence[str] = tuple(COLUMNS)) -> dict[str, int]:
    """COPY every table's rows (parents first); returns the row count per table."""
    counts: dict[str, int] = {}
    with conn.cursor() as cur:
        for table in order:
            batch = rows.tables.get(table, [])
            if not batch:
                continue
            with cur.copy(f"copy {table} ({COLUMNS[table]}) from stdin") as copy:
                for row in batch:
                    copy.write_row(row)
            counts[table] = len(batch)
    return counts


def seed_warehouse(conn: psycopg.Connection, spec: SyntheticSpec) -> dict[str, int]:
    """Users, rubrics and every day of the spec, committed."""
    counts = copy_rows(conn, reference_rows(spec))
    counts.update(copy_rows(conn, day_rows(spec, spec.dates)))
    conn.commit()
    return counts


def seed_days(conn: psycopg.Connection, spec: SyntheticSpec, days: Iterable[date], **kwargs: Any) -> dict[str, int]:
    """Add (new) days of calls to a seeded warehouse, committed."""
    counts = copy_rows(conn, day_rows(spec, days, **kwargs))
    conn.commit()
    return counts
