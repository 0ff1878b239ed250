"""The normalized transcript every downstream step reads: turns of sentences with resolved speakers."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class SpeakerRole(StrEnum):
    REP = "rep"  # the call's primary user (the rep being coached)
    INTERNAL = "internal"  # other people from our company
    CUSTOMER = "customer"  # external participants
    UNKNOWN = "unknown"  # a party of unknown affiliation, or the call's unidentified speaker


# The one synthetic speaker per call that takes every sentence whose Gong speakerId matches no party (dial-ins,
# participants Gong could not match). Gong's ids are numeric, so this id never collides with a real one.
UNIDENTIFIED_SPEAKER_ID = "unidentified"
UNIDENTIFIED_SPEAKER_NAME = "Unidentified speaker"


class Sentence(BaseModel):
    start_ms: int = Field(ge=0)
    end_ms: int = Field(ge=0)
    text: str


class Speaker(BaseModel):
    speaker_id: str
    name: str
    role: SpeakerRole
    user_id: str | None = None
    title: str | None = None

    @property
    def is_identified(self) -> bool:
        """False only for the synthetic speaker of sentences no party of the call was matched to."""
        return self.speaker_id != UNIDENTIFIED_SPEAKER_ID


class Turn(BaseModel):
    """One Gong transcript entry: a single speaker's uninterrupted turn."""

    index: int = Field(ge=0)
    speaker_id: str
    topic: str | None = None
    sentences: list[Sentence]

    @property
    def start_ms(self) -> int:
        return self.sentences[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.sentences[-1].end_ms

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


class Transcript(BaseModel):
    call_id: str
    rep_user_id: str | None = None
    speakers: dict[str, Speaker]
    turns: list[Turn]

    def speaker(self, speaker_id: str) -> Speaker:
        return self.speakers[speaker_id]

    def rep_speaker_ids(self) -> set[str]:
        return {s.speaker_id for s in self.speakers.values() if s.role == SpeakerRole.REP}
