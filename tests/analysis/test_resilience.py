"""The guards without any HTTP: token bucket, circuit breaker states, spend cap reservations, backoff."""

from __future__ import annotations

import pytest

from coaching_pipeline.analysis.claude.resilience import (
    CircuitBreaker,
    CircuitOpenError,
    RetryPolicy,
    SpendCap,
    SpendCapReached,
    TokenBucket,
)
from tests.analysis.support import FakeClock


def test_token_bucket_waits_for_refill_when_empty() -> None:
    clock = FakeClock()
    bucket = TokenBucket(600, clock)
    bucket.take(600)
    assert bucket.take(100) == pytest.approx(10.0)


def test_token_bucket_caps_oversized_requests_at_one_minute() -> None:
    clock = FakeClock()
    assert TokenBucket(600, clock).take(5_000) == 0.0


def test_circuit_breaker_opens_after_consecutive_failures() -> None:
    breaker = CircuitBreaker(2, 30, FakeClock())
    breaker.record_failure("500")
    breaker.record_success()
    breaker.record_failure("500")
    assert breaker.state == "closed"
    breaker.record_failure("500")
    with pytest.raises(CircuitOpenError):
        breaker.before_request()


def test_circuit_breaker_half_open_lets_one_probe_and_reopens_on_failure() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(1, 30, clock)
    breaker.record_failure("529")
    clock.now += 30
    breaker.before_request()
    with pytest.raises(CircuitOpenError):
        breaker.before_request()
    breaker.record_failure("529")
    assert breaker.state == "open"


def test_spend_cap_counts_in_flight_reservations() -> None:
    cap = SpendCap(1.0, spent_usd=0.5)
    cap.reserve(0.4)
    with pytest.raises(SpendCapReached):
        cap.reserve(0.2)


def test_spend_cap_stays_reached_once_hit() -> None:
    cap = SpendCap(1.0)
    with pytest.raises(SpendCapReached):
        cap.reserve(2.0)
    with pytest.raises(SpendCapReached):
        cap.reserve(0.01)


def test_retry_policy_honours_retry_after_over_backoff() -> None:
    assert RetryPolicy(base_seconds=100).delay(3, retry_after=1.5) == 1.5


def test_token_bucket_refund_returns_unused_tokens() -> None:
    bucket = TokenBucket(600, FakeClock())
    bucket.take(600)
    bucket.refund(500)
    assert bucket.take(500) == 0.0
