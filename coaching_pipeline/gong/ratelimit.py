"""A thread-safe token bucket that keeps the client under Gong's per-second request limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Refills `rate` tokens per second up to `burst`; `acquire()` blocks until a token is free.

    A caller that finds the bucket empty reserves the next token (the balance goes negative) and sleeps
    outside the lock, so concurrent threads queue fairly instead of all waking at once. The default
    burst of 1 spaces requests evenly: any one-second window then holds at most `rate` requests plus one,
    the margin Gong's 3 requests/second limit needs.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate, self.burst = rate, burst
        self._clock, self._sleep = clock, sleep
        self._tokens = burst
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait
