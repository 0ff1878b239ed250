"""Guards around every Claude request: concurrency, input-token bucket, retries, circuit breaker, spend cap.

Anything that stops work for infrastructure or budget reasons raises a `WorkDeferred`, which the engine
records as `deferred` (picked up by the next run) rather than `failed` (which needs a person).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class WorkDeferred(RuntimeError):
    """The work was not attempted or not finished for reasons outside the call itself; retry next run."""

    reason = "deferred"


class CircuitOpenError(WorkDeferred):
    reason = "circuit_open"


class SpendCapReached(WorkDeferred):
    reason = "spend_cap"


class RetriesExhausted(WorkDeferred):
    reason = "retries_exhausted"


class TokenBucket:
    """Estimated input tokens per minute, refilled continuously; a request larger than a minute's worth waits
    for a full bucket instead of forever."""

    def __init__(self, per_minute: int, clock: Clock) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._tokens = self.capacity
        self._clock = clock
        self._stamp = clock.monotonic()
        self._lock = threading.Lock()

    def take(self, tokens: int) -> float:
        """Block until `tokens` are available; return the seconds waited."""
        wanted = min(float(tokens), self.capacity)
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= wanted:
                    self._tokens -= wanted
                    return waited
                pause = (wanted - self._tokens) / self.rate
            self._clock.sleep(pause)
            waited += pause

    def refund(self, tokens: int) -> None:
        """Give back what a request did not use: cache reads do not count towards input tokens per minute."""
        if tokens > 0:
            with self._lock:
                self._tokens = min(self.capacity, self._tokens + tokens)


BreakerState = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `cooldown_seconds` lets one probe through
    (half-open); the probe's success closes it, its failure re-opens it."""

    def __init__(self, threshold: int, cooldown_seconds: float, clock: Clock) -> None:
        self.threshold = threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        self.reason: str | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._clock.monotonic() - self._opened_at >= self.cooldown_seconds:
            return "half_open"
        return "open"

    def before_request(self) -> None:
        with self._lock:
            state = self.state
            if state == "open" or (state == "half_open" and self._probing):
                raise CircuitOpenError(f"circuit open ({self.reason})")
            if state == "half_open":
                self._probing = True

    def record_success(self) -> None:
        with self._lock:
            self._failures, self._opened_at, self._probing, self.reason = 0, None, False, None

    def record_failure(self, reason: str) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self.threshold:
                self._open(reason)

    def release_probe(self) -> None:
        """The probe was never sent; let the next request probe instead."""
        with self._lock:
            self._probing = False

    def trip(self, reason: str) -> None:
        """Open at once: some errors (an enforced spend limit) will not clear by retrying."""
        with self._lock:
            self._open(reason)

    def _open(self, reason: str) -> None:
        self._opened_at, self._probing, self.reason = self._clock.monotonic(), False, reason


class SpendCap:
    """Per-run dollars; in-flight requests reserve their estimate so concurrent workers cannot overshoot."""

    def __init__(self, cap_usd: float, spent_usd: float = 0.0) -> None:
        self.cap_usd = cap_usd
        self.spent_usd = spent_usd
        self._reserved = 0.0
        self.reached = False
        self._lock = threading.Lock()

    def reserve(self, estimate_usd: float) -> None:
        with self._lock:
            if self.reached or self.spent_usd + self._reserved + estimate_usd > self.cap_usd:
                self.reached = True
                raise SpendCapReached(
                    f"run spend ${self.spent_usd:.4f} + next request ~${estimate_usd:.4f} "
                    f"would exceed the cap ${self.cap_usd:.2f}"
                )
            self._reserved += estimate_usd

    def settle(self, reserved_usd: float, actual_usd: float) -> None:
        with self._lock:
            self._reserved = max(0.0, self._reserved - reserved_usd)
            self.spent_usd += actual_usd


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_seconds: float = 0.5
    max_backoff_seconds: float = 30.0
    max_retry_after_seconds: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Honour the server's retry-after; otherwise exponential backoff with full jitter."""
        if retry_after is not None:
            return retry_after
        return random.uniform(0, min(self.max_backoff_seconds, self.base_seconds * 2 ** (attempt - 1)))


class Guard:
    """Everything a request must pass before it is sent, shared by all workers of an engine."""

    def __init__(
        self,
        *,
        concurrency: int,
        tokens_per_minute: int,
        breaker: CircuitBreaker,
        spend: SpendCap,
        retry: RetryPolicy,
        clock: Clock,
    ) -> None:
        self.breaker = breaker
        self.spend = spend
        self.retry = retry
        self.clock = clock
        self.bucket = TokenBucket(tokens_per_minute, clock)
        self._slots = threading.BoundedSemaphore(concurrency)

    def admit(self, estimated_tokens: int, estimated_usd: float) -> None:
        """Raise WorkDeferred if the circuit is open or the cap would be crossed; else wait for tokens."""
        self.breaker.before_request()
        try:
            self.spend.reserve(estimated_usd)
        except SpendCapReached:
            self.breaker.release_probe()
            raise
        self.bucket.take(estimated_tokens)

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            yield
