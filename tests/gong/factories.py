"""A small hand-built Gong corpus (10 users, 25 calls) in exactly the shape the simulator serves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

PACIFIC = timezone(timedelta(hours=-7))
FIRST_CALL = datetime(2026, 8, 3, 9, 0, tzinfo=PACIFIC)
CALL_COUNT = 25
USER_COUNT = 10
NO_TRANSCRIPT_CALLS = 2
LATE = datetime(2027, 1, 1, tzinfo=UTC)


@dataclass
class SmallCorpus:
    users: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    transcripts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    available_at: dict[str, datetime] = field(default_factory=dict)
    transcript_ready_at: dict[str, datetime] = field(default_factory=dict)

    def call_ids(self) -> list[str]:
        return [c["metaData"]["id"] for c in self.calls]

    def started(self, call_id: str) -> datetime:
        meta = next(c["metaData"] for c in self.calls if c["metaData"]["id"] == call_id)
        return datetime.fromisoformat(meta["started"])


def user_id(n: int) -> str:
    return str(7_000_000_000_000_000_000 + n)


def call_id(n: int) -> str:
    return str(4_000_000_000_000_000_000 + n)


def _user(n: int) -> dict[str, Any]:
    return {
        "id": user_id(n),
        "emailAddress": f"rep{n}@prefect.example",
        "firstName": f"Rep{n}",
        "lastName": "Example",
        "title": "Account Executive" if n % 2 else "Solutions Engineer",
        "managerId": user_id(0) if n else None,
        "active": True,
        "created": "2024-01-15T08:00:00Z",
        "phoneNumber": None,
    }


def _started(n: int) -> str:
    """Calls every 2 hours, in Pacific time, half of them with fractional seconds (Gong sends both)."""
    started = FIRST_CALL + timedelta(hours=2 * n)
    return started.isoformat(timespec="milliseconds" if n % 2 else "seconds")


def _call(n: int) -> dict[str, Any]:
    rep = user_id(1 + n % (USER_COUNT - 1))
    meta = {
        "id": call_id(n),
        "url": f"https://app.gong.io/call?id={call_id(n)}",
        "title": f"Prefect Cloud discovery #{n}",
        "scheduled": _started(n),
        "started": _started(n),
        "duration": 1800,
        "primaryUserId": rep,
        "direction": "Conference",
        "system": "Zoom",
        "scope": "External",
        "media": "Video",
        "language": "eng",
        "workspaceId": "5550001",
        "purpose": None,
        "isPrivate": False,
    }
    parties = [
        {
            "id": f"{n}01",
            "name": "Rep",
            "userId": rep,
            "speakerId": f"{n}1",
            "affiliation": "Internal",
            "methods": ["Invitee", "Attendee"],
        },
        {
            "id": f"{n}02",
            "name": "Dana Buyer",
            "emailAddress": "dana@acme.example",
            "speakerId": f"{n}2",
            "affiliation": "External",
            "methods": ["Attendee"],
        },
        {"id": f"{n}03", "name": "Silent Invitee", "affiliation": "External", "methods": ["Invitee"]},
    ]
    content = {
        "topics": [{"name": "Pricing", "duration": 120}],
        "trackers": [
            {
                "id": "9",
                "name": "Competitors",
                "count": 1,
                "type": "KEYWORD",
                "occurrences": [{"startTime": 12.5, "speakerId": f"{n}2"}],
            }
        ],
        "brief": "Discovery call about orchestration.",
    }
    return {"metaData": meta, "parties": parties, "content": content}


def _transcript(n: int) -> list[dict[str, Any]]:
    return [
        {
            "speakerId": f"{n}1",
            "topic": None,
            "sentences": [{"start": 0, "end": 4000, "text": "Walk me through how you currently run your flows?"}],
        },
        {
            "speakerId": f"{n}2",
            "topic": "Pricing",
            "sentences": [
                {"start": 4500, "end": 9000, "text": "We use Airflow today."},
                {"start": 9000, "end": 12000, "text": "Retries are painful."},
            ],
        },
        {
            "speakerId": f"{n}1",
            "topic": None,
            "sentences": [{"start": 12500, "end": 15000, "text": "Let's schedule a next step."}],
        },
    ]


def build_corpus() -> SmallCorpus:
    corpus = SmallCorpus(users=[_user(n) for n in range(USER_COUNT)])
    for n in range(CALL_COUNT):
        call = _call(n)
        corpus.calls.append(call)
        started = datetime.fromisoformat(call["metaData"]["started"])
        corpus.available_at[call_id(n)] = started + timedelta(minutes=40)
        corpus.transcript_ready_at[call_id(n)] = started + timedelta(hours=3)
        if n >= NO_TRANSCRIPT_CALLS:
            corpus.transcripts[call_id(n)] = _transcript(n)
    return corpus
