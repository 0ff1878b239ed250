"""ClaudeAnalyzer: one (call, dimension) through the official SDK, with our retries, ledger and one repair."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar

import anthropic

from coaching_pipeline.analysis.claude import prompt
from coaching_pipeline.analysis.claude.replies import MalformedReply, parse_reply, repair_params, reply_text
from coaching_pipeline.analysis.claude.resilience import (
    CircuitBreaker,
    CircuitOpenError,
    Guard,
    RetriesExhausted,
    RetryPolicy,
    SpendCap,
    SystemClock,
)
from coaching_pipeline.analysis.costs import CacheTtl, PriceTable, TokenUsage, cost_usd, price_table
from coaching_pipeline.analysis.ledger_entry import LedgerEntry, Status
from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.analysis.request import AnalysisRequest
from coaching_pipeline.knowledge.models import Dimension, Rubric
from coaching_pipeline.knowledge.rubrics import load_rubrics
from coaching_pipeline.settings import Settings, get_settings
from coaching_pipeline.transcripts.tokens import count_tokens

RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504, 529}
ESTIMATE_MARGIN = 1.2  # tiktoken undercounts Claude's tokenizer; keep estimates conservative
EXPECTED_OUTPUT_TOKENS = 1500

T = TypeVar("T")


class RequestRejected(RuntimeError):
    """The API refused the request itself (400, 401, 413, ...): retrying the same request cannot help."""


@lru_cache(maxsize=256)
def _tokens(text: str) -> int:
    return count_tokens(text)


@dataclass
class RequestContext:
    """How the engine observes one run's requests: a shared guard and a ledger sink."""

    guard: Guard
    record: Callable[[LedgerEntry], None] = lambda entry: None
    run_id: str | None = None
    ttl: CacheTtl = "5m"


@dataclass
class _Sent:
    message: Any
    usage: TokenUsage
    cost_usd: float
    latency_ms: int
    attempt: int
    entries: list[LedgerEntry] = field(default_factory=list)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                return max(0.0, float(value) / scale)
            except ValueError:
                continue
    return None


class ClaudeAnalyzer:
    """Implements `request.Analyzer`; the engine passes a RequestContext so limits and the ledger apply."""

    kind: Literal["claude"] = "claude"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        rubrics: Mapping[Dimension, Rubric] | None = None,
        client: anthropic.Anthropic | None = None,
        prices: PriceTable | None = None,
        max_output_tokens: int = 4096,
    ) -> None:
        settings = settings or get_settings()
        self.settings = settings
        self.model = settings.coaching_model
        key = settings.anthropic_api_key.get_secret_value() if settings.anthropic_api_key else None
        self.client = client or anthropic.Anthropic(
            api_key=key, base_url=settings.anthropic_base_url, max_retries=0, timeout=180.0
        )
        self.prices = prices or price_table(settings)
        self.prices.prices_for(self.model)
        self.max_output_tokens = max_output_tokens
        self._rubrics = dict(rubrics) if rubrics is not None else None

    @property
    def rubrics(self) -> dict[Dimension, Rubric]:
        """All four rubrics go into the shared system prompt, whichever dimension is asked."""
        if self._rubrics is None:
            self._rubrics = dict(load_rubrics())
        return self._rubrics

    def prompt_version(self, dimension: Dimension) -> str:
        return prompt.prompt_version(dimension)

    def build_params(self, request: AnalysisRequest, *, ttl: CacheTtl = "5m") -> dict[str, Any]:
        return prompt.build_params(request, self.rubrics, model=self.model, max_tokens=self.max_output_tokens, ttl=ttl)

    def estimate(self, params: Mapping[str, Any], *, ttl: CacheTtl = "5m", batch: bool = False) -> tuple[int, float]:
        """Conservative input tokens and dollars (every input token written to the cache) for the limiters."""
        texts = [block["text"] for block in params["system"]]
        for message in params["messages"]:
            content = message["content"]
            texts += [content] if isinstance(content, str) else [block["text"] for block in content]
        tokens = int(sum(_tokens(t) for t in texts) * ESTIMATE_MARGIN)
        usage = TokenUsage.from_counts(tokens, EXPECTED_OUTPUT_TOKENS, ttl)
        return tokens, cost_usd(self.prices, self.model, usage, batch=batch)

    def default_context(self) -> RequestContext:
        clock = SystemClock()
        guard = Guard(
            concurrency=self.settings.coaching_max_concurrency,
            tokens_per_minute=self.settings.coaching_input_tokens_per_minute,
            breaker=CircuitBreaker(5, 30.0, clock),
            spend=SpendCap(float("inf")),
            retry=RetryPolicy(),
            clock=clock,
        )
        return RequestContext(guard=guard)

    def analyze(self, request: AnalysisRequest, *, context: RequestContext | None = None) -> DimensionAnalysis:
        """Ask once; a reply that does not validate gets exactly one repair request."""
        ctx = context or self.default_context()
        params = self.build_params(request, ttl=ctx.ttl)
        sent = self._send(params, ctx, request)
        text = reply_text(sent.message)
        try:
            analysis = parse_reply(text, request.dimension, prompt.allowed_criteria(request.rubric, request.rep_role))
        except ValueError as exc:
            ctx.record(self._entry(sent, ctx, request, "invalid", error=str(exc)))
            return self.repair(request, params, text, exc, context=ctx)
        ctx.record(self._entry(sent, ctx, request, "ok"))
        return analysis

    def repair(
        self,
        request: AnalysisRequest,
        params: dict[str, Any],
        bad_reply: str,
        error: Exception,
        *,
        context: RequestContext,
    ) -> DimensionAnalysis:
        """Send the bad reply and the validation error back once; a second bad reply is a MalformedReply."""
        sent = self._send(repair_params(params, bad_reply, error, request.dimension), context, request)
        text = reply_text(sent.message)
        try:
            analysis = parse_reply(text, request.dimension, prompt.allowed_criteria(request.rubric, request.rep_role))
        except ValueError as exc:
            context.record(self._entry(sent, context, request, "repair_invalid", error=str(exc)))
            raise MalformedReply(str(exc), reply=text) from exc
        context.record(self._entry(sent, context, request, "repair"))
        return analysis

    def _entry(
        self,
        sent: _Sent,
        ctx: RequestContext,
        request: AnalysisRequest,
        status: Status,
        error: str | None = None,
    ) -> LedgerEntry:
        return LedgerEntry(
            model=self.model,
            mode="sync",
            status=status,
            usage=sent.usage,
            cost_usd=sent.cost_usd,
            attempt=sent.attempt,
            request_id=getattr(sent.message, "_request_id", None),
            run_id=ctx.run_id,
            call_id=request.transcript.call_id,
            dimension=request.dimension.value,
            latency_ms=sent.latency_ms,
            error=error,
        )

    def _send(self, params: dict[str, Any], ctx: RequestContext, request: AnalysisRequest) -> _Sent:
        tokens, estimate = self.estimate(params, ttl=ctx.ttl)
        message, latency, attempt = self.call_api(
            lambda: self.client.messages.create(**params),
            ctx,
            call_id=request.transcript.call_id,
            dimension=request.dimension.value,
            tokens=tokens,
            estimate_usd=estimate,
        )
        usage = TokenUsage.from_api(message.usage, ctx.ttl)
        dollars = cost_usd(self.prices, self.model, usage)
        ctx.guard.spend.settle(estimate, dollars)
        ctx.guard.bucket.refund(tokens - usage.input_tokens - usage.cache_write_tokens)
        return _Sent(message, usage, dollars, latency, attempt)

    def call_api(
        self,
        send: Callable[[], T],
        ctx: RequestContext,
        *,
        call_id: str | None,
        dimension: str | None,
        tokens: int,
        estimate_usd: float,
    ) -> tuple[T, int, int]:
        """Our retry loop (the SDK's is off): every failed attempt is ledgered and seen by the breaker.

        Returns (result, latency ms, attempt). The caller settles `estimate_usd` against the real cost.
        """
        guard = ctx.guard
        for attempt in range(1, guard.retry.max_attempts + 1):
            guard.admit(tokens, estimate_usd)
            started = time.monotonic()
            try:
                with guard.slot():
                    result = send()
            except (anthropic.APIStatusError, anthropic.APIConnectionError) as exc:
                guard.spend.settle(estimate_usd, 0.0)
                guard.bucket.refund(tokens)
                latency = int((time.monotonic() - started) * 1000)
                wait = self._failed_attempt(exc, ctx, call_id, dimension, attempt, latency)
                if attempt == guard.retry.max_attempts:
                    raise RetriesExhausted(f"gave up after {attempt} attempts: {exc}") from exc
                guard.clock.sleep(wait)
                continue
            guard.breaker.record_success()
            return result, int((time.monotonic() - started) * 1000), attempt
        raise RetriesExhausted("the retry policy allows no attempts")

    def _failed_attempt(
        self,
        exc: anthropic.APIStatusError | anthropic.APIConnectionError,
        ctx: RequestContext,
        call_id: str | None,
        dimension: str | None,
        attempt: int,
        latency_ms: int,
    ) -> float:
        """Ledger the failed attempt and decide: raise (give up or defer) or return the seconds to wait."""
        status = getattr(exc, "status_code", None)
        code = getattr(exc, "error_code", None) if status else None
        label = f"{status} {code or type(exc).__name__}" if status else type(exc).__name__
        ctx.record(
            LedgerEntry(
                model=self.model,
                mode="sync",
                status="error",
                attempt=attempt,
                request_id=getattr(exc, "request_id", None),
                run_id=ctx.run_id,
                call_id=call_id,
                dimension=dimension,
                latency_ms=latency_ms,
                error=f"{label}: {exc}",
            )
        )
        breaker, policy = ctx.guard.breaker, ctx.guard.retry
        if code == "enforced_spend_limit_reached":
            breaker.trip("enforced_spend_limit_reached")
            raise CircuitOpenError("the organisation's enforced spend limit was reached") from exc
        if status is not None and status not in RETRYABLE_STATUS:
            breaker.record_success()  # the service answered; the request is what is wrong
            raise RequestRejected(label) from exc
        breaker.record_failure(label)
        headers = exc.response.headers if isinstance(exc, anthropic.APIStatusError) else {}
        retry_after = _retry_after(headers)
        if retry_after is not None and retry_after > policy.max_retry_after_seconds:
            raise RetriesExhausted(f"retry-after {retry_after:.0f}s exceeds our limit") from exc
        return policy.delay(attempt, retry_after)
