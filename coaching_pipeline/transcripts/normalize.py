"""Turn Gong's raw transcript JSON and call parties into a validated, speaker-resolved Transcript."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn


class TranscriptError(ValueError):
    """A transcript that cannot be analysed; `reason` is a short machine code stored with the issue."""

    def __init__(self, reason: str, detail: dict[str, Any] | None = None) -> None:
        self.reason = reason
        self.detail = detail or {}
        super().__init__(f"{reason}: {json.dumps(self.detail, ensure_ascii=False, default=str)}")


class _GongParty(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    speaker_id: str | None = Field(default=None, alias="speakerId")
    user_id: str | None = Field(default=None, alias="userId")
    name: str | None = None
    title: str | None = None
    email: str | None = Field(default=None, alias="emailAddress")
    affiliation: str | None = None


class _GongSentence(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: int
    end: int
    text: str


class _GongEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    speaker_id: str = Field(alias="speakerId")
    topic: str | None = None
    sentences: list[_GongSentence]


_PARTIES = TypeAdapter(list[_GongParty])
_ENTRIES = TypeAdapter(list[_GongEntry])


def transcript_sha256(entries: list[dict[str, Any]]) -> str:
    """SHA-256 of the raw entries' canonical JSON: the cache key of every analysis, so it must never drift."""
    canonical = json.dumps(entries, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _parse(adapter: TypeAdapter[Any], source: str, payload: Any) -> Any:
    try:
        return adapter.validate_python(payload)
    except ValidationError as exc:
        errors = json.loads(exc.json(include_url=False, include_input=False))
        raise TranscriptError("malformed_payload", {"source": source, "errors": errors[:20]}) from exc


def _role(party: _GongParty, primary_user_id: str | None) -> SpeakerRole:
    if primary_user_id is not None and party.user_id == primary_user_id:
        return SpeakerRole.REP
    affiliation = (party.affiliation or "").lower()
    if affiliation == "internal":
        return SpeakerRole.INTERNAL
    if affiliation == "external":
        return SpeakerRole.CUSTOMER
    return SpeakerRole.UNKNOWN


def _speakers(parties: list[_GongParty], primary_user_id: str | None) -> dict[str, Speaker]:
    """Key speakers by speakerId (transcripts join on it, not on party id); the first party per id wins."""
    speakers: dict[str, Speaker] = {}
    for party in parties:
        if not party.speaker_id or party.speaker_id in speakers:
            continue
        speakers[party.speaker_id] = Speaker(
            speaker_id=party.speaker_id,
            name=party.name or party.email or f"Speaker {party.speaker_id}",
            role=_role(party, primary_user_id),
            user_id=party.user_id,
            title=party.title,
        )
    return speakers


def _check_entries(entries: list[_GongEntry], speakers: dict[str, Speaker]) -> None:
    unknown = sorted({entry.speaker_id for entry in entries} - speakers.keys())
    if unknown:
        raise TranscriptError("unknown_speaker", {"speaker_ids": unknown})
    for turn_index, entry in enumerate(entries):
        if not entry.sentences:
            raise TranscriptError("empty_turn", {"turn_index": turn_index, "speaker_id": entry.speaker_id})
        for sentence_index, sentence in enumerate(entry.sentences):
            if sentence.start < 0 or sentence.end < 0 or sentence.end < sentence.start:
                detail = {"turn_index": turn_index, "sentence_index": sentence_index}
                raise TranscriptError("bad_timing", detail | {"start": sentence.start, "end": sentence.end})


def normalize_transcript(
    call_id: str, parties: list[dict[str, Any]], entries: list[dict[str, Any]], primary_user_id: str | None
) -> Transcript:
    """Validate Gong's payloads and resolve every turn's speaker, so downstream code never re-checks them.

    Sentence text is kept byte-for-byte; times stay in milliseconds from call start.
    """
    parsed_entries: list[_GongEntry] = _parse(_ENTRIES, "entries", entries)
    parsed_parties: list[_GongParty] = _parse(_PARTIES, "parties", parties)
    if not parsed_entries:
        raise TranscriptError("empty_transcript", {"call_id": call_id})
    speakers = _speakers(parsed_parties, primary_user_id)
    if not speakers:
        raise TranscriptError("missing_speakers", {"call_id": call_id, "party_count": len(parsed_parties)})
    _check_entries(parsed_entries, speakers)
    turns = [
        Turn(
            index=index,
            speaker_id=entry.speaker_id,
            topic=entry.topic,
            sentences=[Sentence(start_ms=s.start, end_ms=s.end, text=s.text) for s in entry.sentences],
        )
        for index, entry in enumerate(parsed_entries)
    ]
    return Transcript(call_id=call_id, rep_user_id=primary_user_id, speakers=speakers, turns=turns)
