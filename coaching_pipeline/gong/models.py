"""Pydantic shapes of the Gong v2 replies we read; each keeps Gong's exact JSON as `.raw` for storage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator
from pydantic.alias_generators import to_camel


def _assume_utc(value: datetime) -> datetime:
    """Gong always sends an offset; a naive value would otherwise compare wrongly with aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


GongDateTime = Annotated[datetime, AfterValidator(_assume_utc)]


class GongModel(BaseModel):
    """Camel-case aliases and Gong's habits absorbed: unknown fields ignored (Gong adds fields unannounced),
    explicit nulls treated as absent so defaults apply, ids coerced to strings, raw payload retained."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        coerce_numbers_to_str=True,
    )
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: Any) -> Any:
        if not isinstance(data, dict):
            return handler(data)
        model = handler({k: v for k, v in data.items() if v is not None})
        model._raw = data
        return model

    @property
    def raw(self) -> dict[str, Any]:
        """The object exactly as Gong sent it (we store Gong's JSON verbatim)."""
        return self._raw


class GongUser(GongModel):
    id: str
    email_address: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    manager_id: str | None = None
    active: bool | None = None
    created: GongDateTime | None = None
    phone_number: str | None = None
    email_aliases: list[str] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


class CallMetaData(GongModel):
    id: str
    started: GongDateTime
    url: str | None = None
    title: str | None = None
    scheduled: GongDateTime | None = None
    duration: int = 0
    primary_user_id: str | None = None
    direction: str | None = None
    system: str | None = None
    scope: str | None = None
    media: str | None = None
    language: str | None = None
    workspace_id: str | None = None
    purpose: str | None = None
    meeting_url: str | None = None
    is_private: bool | None = None
    calendar_event_id: str | None = None
    client_unique_id: str | None = None
    custom_data: str | None = None
    sdr_disposition: str | None = None


class Party(GongModel):
    """A call participant. `speaker_id` joins to transcript entries; only internal parties have `user_id`."""

    id: str
    email_address: str | None = None
    name: str | None = None
    title: str | None = None
    user_id: str | None = None
    speaker_id: str | None = None
    affiliation: str = "Unknown"
    phone_number: str | None = None
    methods: list[str] = Field(default_factory=list)


class Topic(GongModel):
    name: str
    duration: float | None = None


class Tracker(GongModel):
    id: str | None = None
    name: str
    count: int = 0
    type: str | None = None


class CallOutcome(GongModel):
    id: str | None = None
    category: str | None = None
    name: str | None = None


class CallContent(GongModel):
    """The `content` block; outline, highlights and the rest stay available in `.raw`."""

    topics: list[Topic] = Field(default_factory=list)
    trackers: list[Tracker] = Field(default_factory=list)
    brief: str | None = None
    call_outcome: CallOutcome | None = None
    key_points: list[dict[str, Any]] = Field(default_factory=list)


class InteractionSpeaker(GongModel):
    id: str | None = None
    user_id: str | None = None
    talk_time: float | None = None


class InteractionStat(GongModel):
    name: str
    value: float | None = None


class Questions(GongModel):
    company_count: int | None = None
    non_company_count: int | None = None


class CallInteraction(GongModel):
    speakers: list[InteractionSpeaker] = Field(default_factory=list)
    interaction_stats: list[InteractionStat] = Field(default_factory=list)
    questions: Questions | None = None


class ExtensiveCall(GongModel):
    meta_data: CallMetaData = Field(alias="metaData")
    parties: list[Party] = Field(default_factory=list)
    content: CallContent | None = None
    interaction: CallInteraction | None = None

    @property
    def id(self) -> str:
        return self.meta_data.id


class TranscriptSentence(GongModel):
    start: int = Field(description="Milliseconds from the start of the call.")
    end: int = Field(description="Milliseconds from the start of the call.")
    text: str


class TranscriptEntry(GongModel):
    """One speaker turn; `speaker_id` joins to `Party.speaker_id`, not to party or user ids."""

    speaker_id: str
    topic: str | None = None
    sentences: list[TranscriptSentence] = Field(default_factory=list)


class CallTranscript(GongModel):
    call_id: str
    transcript: list[TranscriptEntry] = Field(default_factory=list)


class RawCallTranscript(GongModel):
    """A transcripts-page item whose entries are checked one call at a time (`client.fetch_transcripts`), so a
    single wrongly shaped transcript cannot fail the page, and with it every other call of the batch."""

    call_id: str
    transcript: Any = None


class Records(GongModel):
    total_records: int | None = None
    current_page_size: int | None = None
    current_page_number: int | None = None
    cursor: str | None = None


class Page(GongModel):
    """The envelope every list endpoint shares; the items stay raw until the caller parses them."""

    request_id: str | None = None
    records: Records = Field(default_factory=Records)
