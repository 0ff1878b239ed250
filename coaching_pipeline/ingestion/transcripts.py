"""Fetch parties and transcripts for the calls of a date range and store them, recording every call that fails."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from psycopg.types.json import Jsonb
from pydantic import BaseModel, Field

from coaching_pipeline.ingestion.calls import record_calls
from coaching_pipeline.ingestion.content_flags import flag_content
from coaching_pipeline.ingestion.records import participant_rows, raw_dict
from coaching_pipeline.transcripts.normalize import TranscriptError, normalize_with_warning, transcript_sha256
from coaching_pipeline.transcripts.render import render_transcript
from coaching_pipeline.transcripts.tokens import count_tokens
from coaching_pipeline.warehouse import queries
from coaching_pipeline.warehouse.db import connect

BATCH_SIZE = 100
# Calls whose transcript is in the warehouse (or was purged by retention): a run does not ask Gong for them
# again unless told to refetch, so a day's runs cost requests for their new calls only, not the day so far.
STORED_STATUSES = frozenset({"ready", "purged"})


class TranscriptIngestReport(BaseModel):
    calls: int = 0
    fetched: int = 0
    stored: int = 0
    unchanged: int = 0
    waiting: int = 0
    invalid: int = 0
    warnings: int = 0
    flagged: int = 0
    tokens: int = 0
    issues: dict[str, int] = Field(default_factory=dict)

    def count_issue(self, reason: str) -> None:
        self.issues[reason] = self.issues.get(reason, 0) + 1


def _entries(item: Any) -> list[dict[str, Any]]:
    if isinstance(item, list):
        return [raw_dict(e) for e in item]
    return [raw_dict(e) for e in (getattr(item, "transcript", None) or [])]


def ingest_transcripts(
    url: str,
    client: Any,
    start: date,
    end: date,
    tz: ZoneInfo,
    progress: Callable[[int, int], None] | None = None,
    *,
    refetch: bool = False,
) -> dict[date, TranscriptIngestReport]:
    """Process calls with start <= call_date < end in batches of 100 (one extensive and one transcript request
    each). The range's call list is read from Gong first, so a backfill works for days no sensor tick saw.
    Calls whose transcript is already stored are counted as unchanged without asking Gong again, unless
    `refetch` (a transcript Gong corrected; its new SHA-256 then replaces the stored one).
    Each batch is written in one transaction, after both requests succeeded, so a Gong failure leaves
    nothing half-written; a bad transcript is recorded in raw.ingestion_issues and the rest carry on.
    Returns each call date's figures (a day without calls is absent)."""
    reports: defaultdict[date, TranscriptIngestReport] = defaultdict(TranscriptIngestReport)
    window_start = datetime.combine(start, time.min, tzinfo=tz)
    window_end = datetime.combine(end, time.min, tzinfo=tz)
    record_calls(url, client.iter_calls(window_start, window_end), tz)
    with connect(url) as conn:
        listed = conn.execute(queries.CALLS_IN_RANGE, {"start": start, "end": end}).fetchall()
    calls: list[dict[str, Any]] = []  # the listed calls to ask Gong for
    for call in listed:
        report = reports[call["call_date"]]
        report.calls += 1
        if not refetch and call["transcript_status"] in STORED_STATUSES:
            report.unchanged += 1
        else:
            report.fetched += 1
            calls.append(call)
    for offset in range(0, len(calls), BATCH_SIZE):
        batch = calls[offset : offset + BATCH_SIZE]
        ids = [c["call_id"] for c in batch]
        extensive = {str(raw_dict(x)["metaData"]["id"]): raw_dict(x) for x in client.iter_extensive_calls(call_ids=ids)}
        transcripts = client.fetch_transcripts(ids)
        with connect(url) as conn:
            stored = {r["call_id"]: r["sha256"] for r in conn.execute(queries.TRANSCRIPT_SHAS, {"call_ids": ids})}
            for call in batch:
                _store_call(
                    conn,
                    call,
                    extensive.get(call["call_id"]),
                    transcripts.get(call["call_id"]),
                    stored.get(call["call_id"]),
                    reports[call["call_date"]],
                )
        if progress:
            progress(min(offset + BATCH_SIZE, len(calls)), len(calls))
    return dict(reports)


def _issue(conn: Any, call: dict[str, Any], reason: str, detail: dict[str, Any], severity: str = "error") -> None:
    """One row per (call, stage): an error says why the call has no usable transcript, a warning what to
    know about one that is stored and analysed all the same."""
    conn.execute(
        queries.RECORD_ISSUE,
        {
            "call_id": call["call_id"],
            "stage": "transcript",
            "severity": severity,
            "reason": reason,
            "detail": Jsonb(detail),
            "call_date": call["call_date"],
        },
    )


def _store_call(
    conn: Any,
    call: dict[str, Any],
    extensive: dict[str, Any] | None,
    transcript: Any,
    stored_sha256: str | None,
    report: TranscriptIngestReport,
) -> None:
    call_id = call["call_id"]
    if extensive is None:
        report.waiting += 1
        report.count_issue("metadata_not_returned")
        _issue(conn, call, "metadata_not_returned", {"message": "Gong returned no extensive data for this call"})
        return
    parties = extensive.get("parties") or []
    conn.execute(
        queries.SET_CALL_EXTENSIVE,
        {"call_id": call_id, "payload": Jsonb({k: v for k, v in extensive.items() if k != "metaData"})},
    )
    for row in participant_rows(call_id, parties):
        conn.execute(queries.UPSERT_PARTICIPANT, row)
    if transcript is None:
        report.waiting += 1
        report.count_issue("transcript_not_ready")
        _issue(conn, call, "transcript_not_ready", {"message": "Gong has not finished processing this call"})
        return
    entries = _entries(transcript)
    sha256 = transcript_sha256(entries)
    if sha256 == stored_sha256:
        report.unchanged += 1
        return
    try:
        normalized, warning = normalize_with_warning(call_id, parties, entries, call["primary_user_id"])
    except TranscriptError as exc:
        report.invalid += 1
        report.count_issue(exc.reason)
        _issue(conn, call, exc.reason, {"message": str(exc), **exc.detail})
        conn.execute(queries.CLEAR_ISSUE, {"call_id": call_id, "stage": "content"})
        conn.execute(queries.SET_TRANSCRIPT_STATUS, {"call_id": call_id, "status": "invalid"})
        return
    tokens = count_tokens(render_transcript(normalized))
    changed = conn.execute(
        queries.UPSERT_TRANSCRIPT,
        {
            "call_id": call_id,
            "payload": Jsonb(entries),
            "normalized": Jsonb(normalized.model_dump(mode="json")),
            "sha256": sha256,
            "token_count": tokens,
            "turn_count": len(normalized.turns),
            "sentence_count": sum(len(t.sentences) for t in normalized.turns),
        },
    ).rowcount
    report.stored += changed
    report.unchanged += 1 - changed
    report.tokens += tokens
    if warning is None:
        conn.execute(queries.CLEAR_ISSUE, {"call_id": call_id, "stage": "transcript"})
    else:
        report.warnings += 1
        report.count_issue(warning.reason)
        _issue(conn, call, warning.reason, {"message": warning.message, **warning.detail}, severity="warning")
    if flag_content(conn, call, normalized):
        report.flagged += 1
        report.count_issue("prompt_injection")
    conn.execute(queries.SET_TRANSCRIPT_STATUS, {"call_id": call_id, "status": "ready"})
