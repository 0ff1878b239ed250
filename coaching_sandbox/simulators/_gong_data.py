"""Pure helpers of the Gong simulator: cursors, filters, content selection and interaction statistics."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

NO_CALLS_FOUND = "No calls found corresponding to the provided filters"
CURSOR_EXPIRED = "cursor has expired"
EMPTY_CALL_IDS = "filter.callIds: must not be empty but can be null or can be omitted"
CONTENT_FIELDS = (
    "structure",
    "topics",
    "trackers",
    "pointsOfInterest",
    "brief",
    "outline",
    "highlights",
    "callOutcome",
    "keyPoints",
)


class BadRequest(ValueError):
    """A request Gong would answer with 400 and this message."""


def parse_instant(value: Any, field: str) -> datetime | None:
    """Gong accepts ISO-8601 with an offset or Z; a missing offset is read as UTC."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"{field}: could not parse {value!r} as an ISO-8601 date-time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def fingerprint(parts: Mapping[str, Any]) -> str:
    """Ties a cursor to the listing that issued it, so it cannot be replayed against other filters."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def encode_cursor(offset: int, listing: str, issued: datetime) -> str:
    payload = json.dumps({"offset": offset, "listing": listing, "issued": int(issued.timestamp())})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, listing: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset, issued_for = int(payload["offset"]), payload["listing"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BadRequest("cursor is invalid") from exc
    if issued_for != listing or offset < 0:
        raise BadRequest("cursor does not belong to this request's filters")
    return offset


def compact(value: Any) -> Any:
    """Drop nulls everywhere: Gong's published schema declares no nullable fields."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def select_content(content: Mapping[str, Any] | None, wanted: Mapping[str, Any]) -> dict[str, Any] | None:
    """Only the content parts the request's contentSelector asked for, as Gong does."""
    if not content or not any(wanted.get(name) for name in CONTENT_FIELDS):
        return None
    selected = {name: content[name] for name in CONTENT_FIELDS if wanted.get(name) and name in content}
    if "trackers" in selected and not wanted.get("trackerOccurrences"):
        selected["trackers"] = [{k: v for k, v in t.items() if k != "occurrences"} for t in selected["trackers"]]
    return selected


def _timed(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Sentences with numeric times: a deliberately malformed transcript still gets its call served."""
    sentences = entry.get("sentences") or []
    return [s for s in sentences if all(isinstance(s.get(k), int | float) for k in ("start", "end"))]


def interaction(
    parties: Sequence[Mapping[str, Any]], transcript: Sequence[Mapping[str, Any]], wanted: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Gong-like interaction measures derived from the transcript (talk time, monologues, questions)."""
    if not transcript or not any(wanted.get(k) for k in ("speakers", "personInteractionStats", "questions")):
        return None
    by_speaker = {p["speakerId"]: p for p in parties if p.get("speakerId")}
    talk: dict[str, float] = {}
    internal_questions = external_questions = 0
    for entry in transcript:
        sentences = _timed(entry)
        talk[entry["speakerId"]] = talk.get(entry["speakerId"], 0.0) + sum(
            (s["end"] - s["start"]) / 1000 for s in sentences
        )
        asked = sum(1 for s in sentences if str(s.get("text", "")).rstrip().endswith("?"))
        if by_speaker.get(entry["speakerId"], {}).get("affiliation") == "Internal":
            internal_questions += asked
        else:
            external_questions += asked
    result: dict[str, Any] = {}
    if wanted.get("speakers"):
        result["speakers"] = [
            {"id": sid, "userId": by_speaker.get(sid, {}).get("userId"), "talkTime": round(seconds, 2)}
            for sid, seconds in talk.items()
        ]
    if wanted.get("personInteractionStats"):
        result["interactionStats"] = _stats(transcript, talk, by_speaker)
    if wanted.get("questions"):
        result["questions"] = {"companyCount": internal_questions, "nonCompanyCount": external_questions}
    return result


def _stats(
    transcript: Sequence[Mapping[str, Any]], talk: Mapping[str, float], by_speaker: Mapping[str, Any]
) -> list[dict[str, Any]]:
    total = sum(talk.values()) or 1.0
    internal = sum(s for sid, s in talk.items() if by_speaker.get(sid, {}).get("affiliation") == "Internal")
    monologue = customer_story = 0.0
    for entry in transcript:
        sentences = _timed(entry)
        if not sentences:
            continue
        length = (sentences[-1]["end"] - sentences[0]["start"]) / 1000
        if by_speaker.get(entry["speakerId"], {}).get("affiliation") == "Internal":
            monologue = max(monologue, length)
        else:
            customer_story = max(customer_story, length)
    return [
        {"name": "Talk Ratio", "value": round(internal / total, 3)},
        {"name": "Longest Monologue", "value": round(monologue, 1)},
        {"name": "Longest Customer Story", "value": round(customer_story, 1)},
    ]
