"""Chunk the stored transcripts of a date range (skipping calls whose chunks already match the transcript)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from psycopg.types.json import Jsonb
from pydantic import BaseModel

from coaching_pipeline.transcripts.chunking import Chunk, chunk_transcript, rebuild_turns
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect

DEFAULT_MAX_TOKENS = 1500
DEFAULT_OVERLAP_TOKENS = 150


class ChunkReport(BaseModel):
    calls: int = 0
    rechunked: int = 0
    unchanged: int = 0
    chunks: int = 0
    tokens: int = 0


def chunk_calls(
    url: str,
    start: date,
    end: date,
    *,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    overlap: int = DEFAULT_OVERLAP_TOKENS,
) -> dict[date, ChunkReport]:
    """Each call date's figures (a day without ready transcripts is absent)."""
    reports: defaultdict[date, ChunkReport] = defaultdict(ChunkReport)
    with connect(url) as conn:
        rows = conn.execute(queries.READY_TRANSCRIPTS_IN_RANGE, {"start": start, "end": end}).fetchall()
        current = {
            r["call_id"]: r["transcript_sha256"]
            for r in conn.execute(queries.CHUNK_SHAS_IN_RANGE, {"start": start, "end": end})
        }
        for row in rows:
            report = reports[row["call_date"]]
            report.calls += 1
            if current.get(row["call_id"]) == row["sha256"]:
                report.unchanged += 1
                continue
            chunks = chunk_transcript(
                Transcript.model_validate(row["normalized"]), max_tokens=max_tokens, overlap_tokens=overlap
            )
            conn.execute(queries.DELETE_CHUNKS, {"call_id": row["call_id"]})
            for chunk in chunks:
                conn.execute(queries.INSERT_CHUNK, _chunk_row(row["call_id"], row["sha256"], chunk))
            report.rechunked += 1
            report.chunks += len(chunks)
            report.tokens += sum(c.token_count for c in chunks)
    return dict(reports)


def _chunk_row(call_id: str, sha256: str, chunk: Chunk) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "chunk_index": chunk.index,
        "transcript_sha256": sha256,
        "first_turn": chunk.first_turn,
        "last_turn": chunk.last_turn,
        "start_ms": chunk.start_ms,
        "end_ms": chunk.end_ms,
        "token_count": chunk.token_count,
        "overlap_tokens": chunk.overlap_tokens,
        "body": chunk.body,
        "segments": Jsonb([s.model_dump(mode="json") for s in chunk.segments]),
    }


def unrebuildable_calls(url: str, start: date, end: date) -> list[str]:
    """Calls whose stored chunks do not reassemble into exactly their stored transcript (an asset check)."""
    failures: list[str] = []
    with connect(url) as conn:
        for row in conn.execute(queries.READY_TRANSCRIPTS_IN_RANGE, {"start": start, "end": end}).fetchall():
            transcript = Transcript.model_validate(row["normalized"])
            stored = conn.execute(queries.CHUNK_ROWS_FOR_CALL, {"call_id": row["call_id"]}).fetchall()
            chunks = [Chunk.model_validate(_chunk_from_row(r)) for r in stored]
            if not chunks or rebuild_turns(chunks, transcript) != transcript.turns:
                failures.append(row["call_id"])
    return failures


def _chunk_from_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "index": row["chunk_index"]}
