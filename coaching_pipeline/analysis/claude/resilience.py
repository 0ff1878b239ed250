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
from dataclasses import dataclass, replace
from typing import Literal, Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def time(self) -> float:
        """Wall time in epoch seconds: what a breaker stored for other processes can be compared with."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

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


@dataclass(frozen=True)
class BreakerSnapshot:
    """The breaker as a store keeps it between runs and processes; times are epoch seconds. Half-open is not
    stored: it is an open breaker whose `open_until` has passed."""

    state: Literal["closed", "open"] = "closed"
    failures: int = 0
    opened_at: float | None = None
    open_until: float | None = None
    reason: str | None = None


class BreakerStore(Protocol):
    """Where the breaker outlives a run (the engine keeps it in Postgres, with an event per opening/closing)."""

    def load(self) -> BreakerSnapshot: ...
    def save(self, snapshot: BreakerSnapshot, previous: BreakerSnapshot) -> None: ...


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `cooldown_seconds` lets one probe through
    (half-open); the probe's success closes it, its failure re-opens it.

    With a `store`, every change is written through and `refresh()` (at the start of each run) reads what
    other runs left, so a run that starts while Claude is known to be down defers its work without a request.
    """

    def __init__(
        self, threshold: int, cooldown_seconds: float, clock: Clock, store: BreakerStore | None = None
    ) -> None:
        self.threshold = threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._store = store
        self._snapshot = BreakerSnapshot()
        self._probing = False
        self._lock = threading.Lock()
        self.refresh()

    @property
    def reason(self) -> str | None:
        return self._snapshot.reason

    @property
    def state(self) -> BreakerState:
        until = self._snapshot.open_until
        if self._snapshot.state == "closed" or until is None:
            return "closed"
        return "half_open" if self._clock.time() >= until else "open"

    def refresh(self) -> None:
        """Take the stored state, as other runs and processes left it."""
        if self._store is not None:
            with self._lock:
                self._snapshot = self._store.load()

    def before_request(self) -> None:
        with self._lock:
            state = self.state
            if state == "open" or (state == "half_open" and self._probing):
                raise CircuitOpenError(f"circuit open ({self.reason})")
            if state == "half_open":
                self._probing = True

    def record_success(self) -> None:
        with self._lock:
            self._probing = False
            if self._snapshot != BreakerSnapshot():
                self._change(BreakerSnapshot())

    def record_failure(self, reason: str) -> None:
        with self._lock:
            failures = self._snapshot.failures + 1
            if self._probing or failures >= self.threshold:
                self._open(reason, failures)
            else:
                self._change(replace(self._snapshot, failures=failures))

    def release_probe(self) -> None:
        """The probe was never sent; let the next request probe instead."""
        with self._lock:
            self._probing = False

    def trip(self, reason: str) -> None:
        """Open at once: some errors (an enforced spend limit) will not clear by retrying."""
        with self._lock:
            self._open(reason, self._snapshot.failures + 1)

    def _open(self, reason: str, failures: int) -> None:
        now = self._clock.time()
        self._probing = False
        self._change(BreakerSnapshot("open", failures, now, now + self.cooldown_seconds, reason))

    def _change(self, snapshot: BreakerSnapshot) -> None:
        previous, self._snapshot = self._snapshot, snapshot
        if self._store is not None:
            self._store.save(snapshot, previous)


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
