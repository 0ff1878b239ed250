"""Pydantic shapes of the Messages and Batches wire protocol as the simulator reads and writes it."""

from __future__ import annotations

import secrets
import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# The model names anthropic 2.12 knows; extend with ClaudeSimulator(models=...) for newer ones.
MODELS = (
    "claude-fable-5-2",
    "claude-mythos-5-2",
    "claude-haiku-5-5",
    "claude-sonnet-5-5",
    "claude-fable-5-1",
    "claude-opus-5-5",
    "claude-mythos-5-1",
    "claude-sonnet-5",
    "claude-fable-5",
    "claude-mythos-5",
    "claude-opus-5",
    "claude-opus-4-8",
    "claude-opus-4-7",
    "claude-mythos-preview",
    "claude-opus-4-6",
    "claude-sonnet-4-6",
    "claude-haiku-4-5",
    "claude-haiku-4-5-20251001",
    "claude-opus-4-5",
    "claude-opus-4-5-20251101",
    "claude-sonnet-4-5",
    "claude-sonnet-4-5-20250929",
)
API_VERSIONS = ("2023-01-01", "2023-06-01", "2026-10-21")
SAMPLING_FREE_VERSION = "2026-10-21"
SAMPLING_PARAMS = ("temperature", "top_p", "top_k")
_BASE62 = string.digits + string.ascii_letters


def new_id(prefix: str) -> str:
    """IDs shaped like the API's (`msg_01` + 22 base62 characters)."""
    return f"{prefix}_01" + "".join(secrets.choice(_BASE62) for _ in range(22))


class CacheControl(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["ephemeral"]
    ttl: Literal["5m", "1h"] = "5m"

    @property
    def seconds(self) -> int:
        return 3600 if self.ttl == "1h" else 300


def _check_blocks(blocks: str | list[dict[str, Any]] | None) -> str | list[dict[str, Any]] | None:
    """Every block names its type; text blocks carry text, and a cache breakpoint needs some."""
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        kind = block.get("type")
        if not isinstance(kind, str):
            raise ValueError(f"{index}.type: Field required")
        if kind == "text" and not isinstance(block.get("text"), str):
            raise ValueError(f"{index}.text: Field required")
        if kind == "text" and not block["text"] and block.get("cache_control"):
            raise ValueError(f"{index}: cache_control cannot be set for empty text blocks")
    return blocks


class MessageParam(BaseModel):
    role: Literal["user", "assistant"]
    content: str | list[dict[str, Any]]

    _blocks = field_validator("content")(_check_blocks)


class JsonSchemaFormat(BaseModel):
    type: Literal["json_schema"]
    schema_: dict[str, Any] = Field(alias="schema")


class OutputConfig(BaseModel):
    model_config = ConfigDict(extra="allow")

    format: JsonSchemaFormat | None = None
    effort: str | None = None


class CountTokensRequest(BaseModel):
    """Everything that shapes the prompt; `messages.count_tokens` sends exactly this."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[MessageParam] = Field(min_length=1)
    system: str | list[dict[str, Any]] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: dict[str, Any] | None = None
    thinking: dict[str, Any] | None = None
    output_config: OutputConfig | None = None
    cache_control: CacheControl | None = None

    _system_blocks = field_validator("system")(_check_blocks)

    @property
    def output_schema(self) -> dict[str, Any] | None:
        fmt = self.output_config.format if self.output_config else None
        return fmt.schema_ if fmt else None


class MessageRequest(CountTokensRequest):
    max_tokens: int = Field(ge=0)
    stream: bool = False
    stop_sequences: list[str] | None = None
    temperature: float | None = Field(default=None, ge=0, le=1)
    top_p: float | None = Field(default=None, ge=0, le=1)
    top_k: int | None = Field(default=None, ge=0)
    metadata: dict[str, Any] | None = None
    service_tier: str | None = None


class CacheCreation(BaseModel):
    ephemeral_5m_input_tokens: int = 0
    ephemeral_1h_input_tokens: int = 0


class OutputTokensDetails(BaseModel):
    thinking_tokens: int = 0


class Usage(BaseModel):
    input_tokens: int
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation: CacheCreation = Field(default_factory=CacheCreation)
    output_tokens_details: OutputTokensDetails = Field(default_factory=OutputTokensDetails)
    server_tool_use: dict[str, int] | None = None
    service_tier: Literal["standard", "priority", "batch"] = "standard"
    inference_geo: str = "global"
    speed: Literal["standard", "fast"] = "standard"


class Message(BaseModel):
    id: str
    type: Literal["message"] = "message"
    role: Literal["assistant"] = "assistant"
    model: str
    content: list[dict[str, Any]]
    stop_reason: str
    stop_sequence: str | None = None
    stop_details: dict[str, Any] | None = None
    container: dict[str, Any] | None = None
    diagnostics: dict[str, Any] | None = None
    usage: Usage


class ErrorObject(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    message: str
    details: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    type: Literal["error"] = "error"
    error: ErrorObject
    request_id: str | None = None


class BatchRequestItem(BaseModel):
    custom_id: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,64}$")
    params: dict[str, Any]


class BatchCreateRequest(BaseModel):
    requests: list[BatchRequestItem] = Field(min_length=1, max_length=100_000)


class RequestCounts(BaseModel):
    processing: int = 0
    succeeded: int = 0
    errored: int = 0
    canceled: int = 0
    expired: int = 0


class MessageBatch(BaseModel):
    id: str
    type: Literal["message_batch"] = "message_batch"
    processing_status: Literal["in_progress", "canceling", "ended"]
    request_counts: RequestCounts
    created_at: str
    expires_at: str
    ended_at: str | None = None
    cancel_initiated_at: str | None = None
    archived_at: str | None = None
    results_url: str | None = None


class ApiError(Exception):
    """An error the API would answer with: status, error type, message and optional details or headers."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.details = details
        self.headers = headers or {}

    def body(self, request_id: str | None) -> ErrorBody:
        error = ErrorObject(type=self.error_type, message=self.message, details=self.details)
        return ErrorBody(error=error, request_id=request_id)


def invalid_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request_error", message)


def validation_message(exc: ValidationError) -> str:
    """Pydantic's first complaint in the API's `field.path: problem` style."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {str(error['msg']).removeprefix('Value error, ')}"
