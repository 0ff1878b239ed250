"""Compute and store Gong-style interaction statistics for the stored transcripts of a date range."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from psycopg.types.json import Jsonb

from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.transcripts.stats import interaction_stats
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect


def store_interaction_stats(url: str, start: date, end: date) -> dict[date, dict[str, int]]:
    """Each call date's counts: calls computed, and rows that changed (a day without ready transcripts is absent)."""
    counts: defaultdict[date, dict[str, int]] = defaultdict(lambda: {"calls": 0, "changed": 0})
    with connect(url) as conn:
        rows = conn.execute(queries.READY_TRANSCRIPTS_IN_RANGE, {"start": start, "end": end}).fetchall()
        for row in rows:
            stats = interaction_stats(Transcript.model_validate(row["normalized"]))
            values = stats.model_dump(mode="json")
            day = counts[row["call_date"]]
            day["changed"] += conn.execute(
                queries.UPSERT_INTERACTION_STATS,
                {
                    **{k: values.get(k) for k in _STAT_COLUMNS},
                    "call_id": row["call_id"],
                    "rep_user_id": row["primary_user_id"],
                    "call_date": row["call_date"],
                    "transcript_sha256": row["sha256"],
                    "speaker_talk_seconds": Jsonb(values.get("speaker_talk_seconds") or {}),
                },
            ).rowcount
            day["calls"] += 1
    return dict(counts)


_STAT_COLUMNS = (
    "rep_talk_ratio",
    "longest_monologue_seconds",
    "longest_customer_story_seconds",
    "rep_question_count",
    "customer_question_count",
    "interactivity",
    "patience_seconds",
)
