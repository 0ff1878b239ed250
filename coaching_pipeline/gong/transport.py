"""One Gong request: rate limit, budget, retries with backoff, and Gong's statuses mapped to errors."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from coaching_pipeline.gong.budget import RequestBudget
from coaching_pipeline.gong.errors import (
    GongAuthError,
    GongCursorExpiredError,
    GongNotFoundError,
    GongRequestError,
    GongResponseError,
    GongUnavailableError,
)
from coaching_pipeline.gong.ratelimit import TokenBucket

NO_CALLS_FOUND = "No calls found corresponding to the provided filters"
RETRYABLE_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600))
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

log = logging.getLogger(__name__)


class GongTransport:
    """Sends requests and returns the decoded JSON body, or None for Gong's "no calls found" 404.

    Every attempt, retries included, first takes a rate-limit token and spends one unit of the daily
    budget, so the budget reflects what Gong actually counted.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        limiter: TokenBucket,
        budget: RequestBudget | None,
        max_retries: int,
        backoff_base: float,
        backoff_cap: float,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.http, self.limiter, self.budget = http, limiter, budget
        self.max_retries, self.backoff_base, self.backoff_cap = max_retries, backoff_base, backoff_cap
        self.max_retry_after = max_retry_after
        self._sleep, self._rng = sleep, rng or random.Random()
        self._count = 0
        self._lock = threading.Lock()

    @property
    def request_count(self) -> int:
        return self._count

    def backoff(self, retry: int) -> float:
        """Full jitter (uniform between 0 and the capped exponential) spreads retries from parallel runs."""
        return self._rng.uniform(0, min(self.backoff_cap, self.backoff_base * 2**retry))

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        endpoint = f"{method} {path}"
        last_status, retry_after = "none", None
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            self._take_slot()
            try:
                response = self.http.request(method, path, params=params, json=body)
            except RETRYABLE_ERRORS as exc:
                last_status, delay, retry_after = type(exc).__name__, self.backoff(attempt), None
            else:
                if response.status_code < 300:
                    return _json(response, endpoint)
                if response.status_code not in RETRYABLE_STATUSES:
                    return _empty_or_raise(response, endpoint)
                last_status = str(response.status_code)
                retry_after = _retry_after(response)
                if retry_after is not None and retry_after > self.max_retry_after:
                    # Gong's daily limit answers with hours: the caller (the sensor) waits across ticks instead.
                    raise GongUnavailableError(endpoint, attempt + 1, last_status, retry_after)
                delay = self.backoff(attempt) if retry_after is None else retry_after
            if attempt + 1 < attempts:
                log.warning(
                    "Gong %s failed (%s); retry %d/%d in %.2fs",
                    endpoint,
                    last_status,
                    attempt + 1,
                    self.max_retries,
                    delay,
                )
                self._sleep(delay)
        raise GongUnavailableError(endpoint, attempts, last_status, retry_after)

    def _take_slot(self) -> None:
        self.limiter.acquire()
        if self.budget is not None:
            self.budget.spend(1)
        with self._lock:
            self._count += 1


def _retry_after(response: httpx.Response) -> float | None:
    """Gong sends integer seconds on 429; some deployments omit the header, so None means "use backoff"."""
    if response.status_code != 429:
        return None
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def _json(response: httpx.Response, endpoint: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise GongResponseError(f"Gong {endpoint} returned a body that is not JSON") from exc
    if not isinstance(body, dict):
        raise GongResponseError(f"Gong {endpoint} returned {type(body).__name__}, expected an object")
    return body


def _error_details(response: httpx.Response) -> tuple[list[str], str | None]:
    try:
        body = response.json()
    except ValueError:
        return ([response.text.strip()[:200]] if response.text.strip() else []), None
    if not isinstance(body, dict):
        return [str(body)[:200]], None
    errors = body.get("errors") or []
    return [str(e) for e in errors] if isinstance(errors, list) else [str(errors)], body.get("requestId")


def _empty_or_raise(response: httpx.Response, endpoint: str) -> None:
    status = response.status_code
    errors, request_id = _error_details(response)
    if status in (401, 403):
        raise GongAuthError(endpoint, status, request_id)
    if status == 404:
        if [e.strip() for e in errors] == [NO_CALLS_FOUND]:
            return None
        raise GongNotFoundError(endpoint, status, errors, request_id)
    if status == 400 and any("cursor" in e.lower() and "expired" in e.lower() for e in errors):
        raise GongCursorExpiredError(endpoint, status, errors, request_id)
    raise GongRequestError(endpoint, status, errors, request_id)
