"""The token bucket, on a fake clock: even spacing by default, bursts only when asked for."""

from __future__ import annotations

import pytest

from coaching_pipeline.gong.ratelimit import TokenBucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_token_bucket_spaces_requests_at_the_rate() -> None:
    fake = FakeTime()
    bucket = TokenBucket(4.0, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(5):
        bucket.acquire()
        starts.append(fake.now)

    assert starts == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])


def test_token_bucket_does_not_wait_after_idle_time() -> None:
    fake = FakeTime()
    bucket = TokenBucket(2.0, clock=fake.clock, sleep=fake.sleep)
    bucket.acquire()
    fake.now += 10

    assert bucket.acquire() == 0.0


def test_token_bucket_burst_allows_back_to_back_requests() -> None:
    fake = FakeTime()
    bucket = TokenBucket(3.0, burst=3, clock=fake.clock, sleep=fake.sleep)

    waits = [bucket.acquire() for _ in range(4)]

    assert waits[:3] == [0.0, 0.0, 0.0] and waits[3] == pytest.approx(1 / 3)


def test_token_bucket_rejects_non_positive_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(0)
