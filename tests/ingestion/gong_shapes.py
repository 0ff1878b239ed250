"""Tiny hand-built Gong payloads for ingestion tests (the sample corpus is too big to reason about by hand)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

REP_ID = "700000000000000001"


@dataclass
class TinyCorpus:
    users: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    transcripts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    available_at: dict[str, datetime] = field(default_factory=dict)
    transcript_ready_at: dict[str, datetime] = field(default_factory=dict)


def rep_user() -> dict[str, Any]:
    return {
        "id": REP_ID,
        "emailAddress": "zoe@prefect.example",
        "firstName": "Zoë",
        "lastName": "Łukasz",
        "title": "Account Executive",
        "managerId": None,
        "active": True,
        "created": "2024-01-02T09:00:00-05:00",
    }


def add_call(
    corpus: TinyCorpus,
    call_id: str,
    started: datetime,
    *,
    parties: list[dict[str, Any]] | None = None,
    transcript: list[dict[str, Any]] | None = None,
) -> None:
    meta = {
        "id": call_id,
        "title": f"Call {call_id} | Discovery",
        "started": started.isoformat(),
        "scheduled": started.isoformat(),
        "duration": 600,
        "primaryUserId": REP_ID,
        "url": f"https://x/{call_id}",
        "direction": "Conference",
        "scope": "External",
        "media": "Video",
        "language": "eng",
        "workspaceId": "5550001",
        "system": "Zoom",
        "isPrivate": False,
    }
    default_parties = [
        {
            "id": f"{call_id}1",
            "speakerId": f"{call_id}91",
            "userId": REP_ID,
            "name": "Zoë Łukasz",
            "affiliation": "Internal",
            "methods": ["Invitee"],
        },
        {
            "id": f"{call_id}2",
            "speakerId": f"{call_id}92",
            "name": "José Núñez",
            "affiliation": "External",
            "methods": ["Invitee"],
        },
    ]
    corpus.calls.append(
        {
            "metaData": meta,
            "parties": default_parties if parties is None else parties,
            "content": {"topics": []},
        }
    )
    corpus.transcripts[call_id] = default_transcript(call_id) if transcript is None else transcript
    corpus.available_at[call_id] = started + timedelta(minutes=15)
    corpus.transcript_ready_at[call_id] = started + timedelta(minutes=40)


def default_transcript(call_id: str) -> list[dict[str, Any]]:
    return [
        {
            "speakerId": f"{call_id}91",
            "topic": None,
            "sentences": [{"start": 0, "end": 2500, "text": "Walk me through how you currently schedule flows?"}],
        },
        {
            "speakerId": f"{call_id}92",
            "topic": "Pain",
            "sentences": [
                {"start": 3100, "end": 7000, "text": "Our naïve cron setup costs us €4k a month."},
                {"start": 7200, "end": 9000, "text": "Airflow upgrades hurt — señor Müller knows."},
            ],
        },
    ]


START = datetime(2026, 8, 4, 15, 0, tzinfo=UTC)
