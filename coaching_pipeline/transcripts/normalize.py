"""Turn Gong's raw transcript JSON and call parties into a validated, speaker-resolved Transcript."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from coaching_pipeline.transcripts.models import (
    UNIDENTIFIED_SPEAKER_ID,
    UNIDENTIFIED_SPEAKER_NAME,
    Sentence,
    Speaker,
    SpeakerRole,
    Transcript,
    Turn,
)


class TranscriptError(ValueError):
    """A transcript that cannot be analysed; `reason` is a short machine code stored with the issue."""

    def __init__(self, reason: str, detail: dict[str, Any] | None = None) -> None:
        self.reason = reason
        self.detail = detail or {}
        super().__init__(f"{reason}: {json.dumps(self.detail, ensure_ascii=False, default=str)}")


class TranscriptWarning(BaseModel):
    """Something worth knowing about a transcript that is stored and analysed all the same."""

    reason: str
    detail: dict[str, Any]

    @property
    def message(self) -> str:
        return f"{self.reason}: {json.dumps(self.detail, ensure_ascii=False, default=str)}"


class NormalizedTranscript(NamedTuple):
    transcript: Transcript
    warning: TranscriptWarning | None


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


def _check_entries(entries: list[_GongEntry]) -> None:
    for turn_index, entry in enumerate(entries):
        if not entry.sentences:
            raise TranscriptError("empty_turn", {"turn_index": turn_index, "speaker_id": entry.speaker_id})
        for sentence_index, sentence in enumerate(entry.sentences):
            if sentence.start < 0 or sentence.end < 0 or sentence.end < sentence.start:
                detail = {"turn_index": turn_index, "sentence_index": sentence_index}
                raise TranscriptError("bad_timing", detail | {"start": sentence.start, "end": sentence.end})


def _unidentified(entries: list[_GongEntry], speakers: dict[str, Speaker]) -> TranscriptWarning | None:
    """What the unidentified speaker took over: Gong's unmatched ids, its sentences and their share of the call.
    When no sentence is left to a party of the call, nothing is usable and the transcript is invalid."""
    unmatched = [entry for entry in entries if entry.speaker_id not in speakers]
    if not unmatched:
        return None
    ids = sorted({entry.speaker_id for entry in unmatched})
    sentences = sum(len(entry.sentences) for entry in unmatched)
    total = sum(len(entry.sentences) for entry in entries)
    if sentences == total:
        raise TranscriptError("unknown_speaker", {"speaker_ids": ids, "message": "no sentence matches a party"})
    detail = {
        "speaker_ids": ids,
        "sentences": sentences,
        "sentence_share": round(sentences / total, 4),
        "talk_seconds": sum(s.end - s.start for entry in unmatched for s in entry.sentences) / 1000,
        "attributed_to": UNIDENTIFIED_SPEAKER_NAME,
    }
    return TranscriptWarning(reason="unidentified_speaker", detail=detail)


def normalize_with_warning(
    call_id: str, parties: list[dict[str, Any]], entries: list[dict[str, Any]], primary_user_id: str | None
) -> NormalizedTranscript:
    """Validate Gong's payloads and resolve every turn's speaker, so downstream code never re-checks them.

    Turns whose speakerId matches no party go to the call's one unidentified speaker (role unknown) and the
    warning says how many; the call stays usable unless no sentence at all matches a party. Sentence text is
    kept byte-for-byte; times stay in milliseconds from call start.
    """
    parsed_entries: list[_GongEntry] = _parse(_ENTRIES, "entries", entries)
    parsed_parties: list[_GongParty] = _parse(_PARTIES, "parties", parties)
    if not parsed_entries:
        raise TranscriptError("empty_transcript", {"call_id": call_id})
    speakers = _speakers(parsed_parties, primary_user_id)
    if not speakers:
        raise TranscriptError("missing_speakers", {"call_id": call_id, "party_count": len(parsed_parties)})
    _check_entries(parsed_entries)
    warning = _unidentified(parsed_entries, speakers)
    if warning is not None:
        speakers[UNIDENTIFIED_SPEAKER_ID] = Speaker(
            speaker_id=UNIDENTIFIED_SPEAKER_ID, name=UNIDENTIFIED_SPEAKER_NAME, role=SpeakerRole.UNKNOWN
        )
    turns = [
        Turn(
            index=index,
            speaker_id=entry.speaker_id if entry.speaker_id in speakers else UNIDENTIFIED_SPEAKER_ID,
            topic=entry.topic,
            sentences=[Sentence(start_ms=s.start, end_ms=s.end, text=s.text) for s in entry.sentences],
        )
        for index, entry in enumerate(parsed_entries)
    ]
    transcript = Transcript(call_id=call_id, rep_user_id=primary_user_id, speakers=speakers, turns=turns)
    return NormalizedTranscript(transcript, warning)


def normalize_transcript(
    call_id: str, parties: list[dict[str, Any]], entries: list[dict[str, Any]], primary_user_id: str | None
) -> Transcript:
    """normalize_with_warning's transcript alone, for callers that do not record warnings."""
    return normalize_with_warning(call_id, parties, entries, primary_user_id).transcript
