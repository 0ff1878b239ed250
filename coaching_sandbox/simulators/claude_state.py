"""The Claude simulator's state: clock, faults, request log, prompt cache, batches and models."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from coaching_sandbox.simulators.claude_batches import BatchStore
from coaching_sandbox.simulators.claude_cache import PromptCache
from coaching_sandbox.simulators.claude_delimiters import delimiter_problem
from coaching_sandbox.simulators.claude_prompt import Prompt, PromptError, build_prompt
from coaching_sandbox.simulators.claude_reply import Malformed, compose
from coaching_sandbox.simulators.claude_schema import SchemaError
from coaching_sandbox.simulators.claude_wire import (
    MODELS,
    ApiError,
    CountTokensRequest,
    Message,
    MessageRequest,
    Usage,
    invalid_request,
    new_id,
)

_NO_FORCED_TOOLS = re.compile(r"^claude-[a-z]+-5\b")


class SimClock:
    """Wall time plus an offset tests can advance, so cache TTLs and batch expiry run without waiting."""

    def __init__(self, start: float | None = None) -> None:
        self._offset = 0.0 if start is None else start - time.time()

    def __call__(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds


class Faults(BaseModel):
    """Failures to inject; counters are consumed one per affected request. Mutate freely from tests."""

    model_config = ConfigDict(validate_assignment=True)

    rate_limited: int = Field(default=0, ge=0)
    retry_after: float | None = Field(default=1, ge=0)
    overloaded: int = Field(default=0, ge=0)
    server_errors: int = Field(default=0, ge=0)
    slow_seconds: float = Field(default=0.0, ge=0)
    malformed: int = Field(default=0, ge=0)
    malformed_kind: Malformed | None = Field(
        default=None,
        description="How every malformed reply is broken; None alternates invalid_json and schema_violation.",
    )
    spend_limit: bool = False
    batch_errors: int = Field(default=0, ge=0)


class LoggedRequest(BaseModel):
    method: str
    path: str
    body: Any = None
    headers: dict[str, str]
    status: int
    request_id: str
    usage: Usage | None = None
    error_type: str | None = None
    at: float


class SimConfig(BaseModel):
    """How the simulated API behaves; `ClaudeSimulator.reset()` returns to these values."""

    api_key: str | None = None
    models: tuple[str, ...] = MODELS
    min_cacheable_tokens: int = Field(default=1024, ge=0)
    batch_polls_to_finish: int = Field(default=1, ge=0)
    context_window: int = Field(default=200_000, gt=0)
    max_output_tokens: int = Field(default=64_000, gt=0)
    requests_per_minute: int = Field(default=4_000, gt=0)
    tokens_per_minute: int = Field(default=2_000_000, gt=0)
    enforce_rate_limits: bool = Field(
        default=False,
        description="429 once a simulated minute's budget is spent; off so benches never trip it.",
    )
    schema_in_cache_prefix: bool = Field(
        default=True,
        description="Structured-output schema sits before system, so changing it misses the cache.",
    )
    require_transcript_delimiters: bool = Field(
        default=True,
        description="Refuse (400) a message or batch request whose call is not inside declared delimiters.",
    )


class ClaudeSimulator:
    """Everything the server remembers between requests; safe to inspect and mutate from the test thread.

    Keyword arguments are SimConfig fields plus an optional `clock`. Tests may also change the
    attributes (`sim.batch_polls_to_finish = 0`) and `sim.faults` directly; `reset()` undoes all that.
    """

    def __init__(self, *, clock: SimClock | None = None, **config: Any) -> None:
        self.config = SimConfig(**config)
        self._initial_clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Back to a fresh server: configuration, clock, faults, log, cache and batches."""
        config = self.config
        self.api_key = config.api_key
        self.models = config.models
        self.batch_polls_to_finish = config.batch_polls_to_finish
        self.context_window = config.context_window
        self.max_output_tokens = config.max_output_tokens
        self.requests_per_minute = config.requests_per_minute
        self.tokens_per_minute = config.tokens_per_minute
        self.enforce_rate_limits = config.enforce_rate_limits
        self.schema_in_cache_prefix = config.schema_in_cache_prefix
        self.require_transcript_delimiters = config.require_transcript_delimiters
        self.cache = PromptCache(config.min_cacheable_tokens)
        self.clock = self._initial_clock or SimClock()
        self.faults = Faults()
        self.request_log: list[LoggedRequest] = []
        self.batches = BatchStore(self)
        self._malformed_served = 0
        self._window: tuple[int, int, int] = (0, 0, 0)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def logged(self, path: str = "/v1/messages") -> list[LoggedRequest]:
        return [entry for entry in self.request_log if entry.path == path]

    def take_fault(self, *, batch: bool = False) -> ApiError | None:
        """The next injected failure, consuming its counter; batch creation only sees the spend limit."""
        faults = self.faults
        with self._lock:
            if faults.spend_limit:
                details = {"error_code": "enforced_spend_limit_reached"}
                message = "You have reached your specified workspace API usage limits."
                return ApiError(429, "rate_limit_error", message, details=details)
            if batch:
                return None
            headers = {} if faults.retry_after is None else {"retry-after": f"{faults.retry_after:g}"}
            for name, status, kind, message in (
                (
                    "rate_limited",
                    429,
                    "rate_limit_error",
                    "Number of request tokens has exceeded your rate limit.",
                ),
                ("overloaded", 529, "overloaded_error", "Overloaded"),
                ("server_errors", 500, "api_error", "Internal server error"),
            ):
                if getattr(faults, name) > 0:
                    setattr(faults, name, getattr(faults, name) - 1)
                    return ApiError(status, kind, message, headers=headers if status == 429 else {})
        return None

    def _take_malformed(self) -> Malformed | None:
        with self._lock:
            if self.faults.malformed <= 0:
                return None
            self.faults.malformed -= 1
            self._malformed_served += 1
            if self.faults.malformed_kind is not None:
                return self.faults.malformed_kind
            return "invalid_json" if self._malformed_served % 2 == 1 else "schema_violation"

    def take_batch_error(self) -> bool:
        with self._lock:
            if self.faults.batch_errors <= 0:
                return False
            self.faults.batch_errors -= 1
            return True

    def prompt(self, request: CountTokensRequest) -> Prompt:
        """Validate what the API validates about the prompt itself, and count it."""
        if request.model not in self.models:
            raise ApiError(404, "not_found_error", f"model: {request.model}")
        try:
            prompt = build_prompt(request, schema_in_prefix=self.schema_in_cache_prefix)
        except PromptError as exc:
            raise invalid_request(str(exc)) from exc
        if prompt.total > self.context_window:
            raise invalid_request(f"prompt is too long: {prompt.total} tokens > {self.context_window} maximum")
        return prompt

    def check_message(self, request: MessageRequest) -> Prompt:
        """Everything the API refuses before generating: output limit, forced tools, model, prompt."""
        if request.max_tokens > self.max_output_tokens:
            raise invalid_request(
                f"max_tokens: {request.max_tokens} > {self.max_output_tokens}, which is the maximum allowed "
                f"number of output tokens for {request.model}"
            )
        self.check_delimiters(request.system, request.messages)
        choice = (request.tool_choice or {}).get("type")
        if choice in ("any", "tool") and _NO_FORCED_TOOLS.match(request.model):
            raise invalid_request(f"tool_choice: forced tool use is not supported by {request.model}")
        return self.prompt(request)

    def check_delimiters(self, system: Any, messages: list[Any], where: str = "") -> None:
        """400 invalid_request_error unless the call sits inside the declared delimiters (claude_delimiters)."""
        if not self.require_transcript_delimiters:
            return
        problem = delimiter_problem(system, messages)
        if problem is not None:
            raise invalid_request(f"{where}{problem}")

    def answer(self, request: MessageRequest, prompt: Prompt, *, batch: bool = False) -> Message:
        """Generate the reply and bill it: cache accounting happens now, on the simulated clock."""
        try:
            reply = compose(request, self._take_malformed(), new_id("toolu"))
        except SchemaError as exc:
            raise invalid_request(str(exc)) from exc
        usage = self.cache.account(prompt, self.clock())
        usage.output_tokens = reply.output_tokens
        usage.service_tier = "batch" if batch else "standard"
        return Message(
            id=new_id("msg"),
            model=request.model,
            content=reply.content,
            stop_reason=reply.stop_reason,
            stop_sequence=reply.stop_sequence,
            usage=usage,
        )

    def charge_rate_window(self, prompt: Prompt) -> None:
        """Count a request against the simulated minute; cache reads are free, as on the API.

        Only with `enforce_rate_limits` does a spent budget answer 429 with the seconds left in the minute.
        """
        now = self.clock()
        minute = int(now // 60)
        usage = self.cache.account(prompt, now, dry_run=True)
        tokens = usage.input_tokens + usage.cache_creation_input_tokens
        with self._lock:
            start, requests, used = self._window if self._window[0] == minute else (minute, 0, 0)
            spent = requests >= self.requests_per_minute or used + tokens > self.tokens_per_minute
            if spent and self.enforce_rate_limits:
                reset_in = max(1, int((minute + 1) * 60 - now))
                message = "This request would exceed the rate limit for your organization."
                raise ApiError(429, "rate_limit_error", message, headers={"retry-after": str(reset_in)})
            self._window = (start, requests + 1, used + tokens)

    def rate_limit_headers(self) -> dict[str, str]:
        """The `anthropic-ratelimit-*` headers for the current simulated minute."""
        now = self.clock()
        minute = int(now // 60)
        _, requests, tokens = self._window if self._window[0] == minute else (minute, 0, 0)
        reset = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((minute + 1) * 60))
        limits = {
            "requests": (self.requests_per_minute, requests),
            "tokens": (self.tokens_per_minute, tokens),
            "input-tokens": (self.tokens_per_minute, tokens),
            "output-tokens": (self.tokens_per_minute // 5, 0),
        }
        headers: dict[str, str] = {}
        for name, (limit, used) in limits.items():
            headers[f"anthropic-ratelimit-{name}-limit"] = str(limit)
            headers[f"anthropic-ratelimit-{name}-remaining"] = str(max(0, limit - used))
            headers[f"anthropic-ratelimit-{name}-reset"] = reset
        return headers
