"""The client stays within the rate limit and counts every request, retries included, against the budget."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from coaching_pipeline.gong.budget import InMemoryBudget
from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.gong.errors import GongBudgetExceeded
from coaching_sandbox.simulators.gong import RunningGong

WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 10, tzinfo=UTC))
RATE = 20.0


def test_client_rate_limiter_keeps_within_the_rate(make_client: Callable[..., GongClient], gong: RunningGong) -> None:
    gong.sim.requests_per_second = RATE
    client = make_client(requests_per_second=RATE)

    list(client.iter_calls(*WINDOW))
    list(client.iter_users())

    times = gong.sim.request_times
    assert len(times) >= 10
    assert all(e.status == 200 for e in gong.sim.request_log)
    spacing = (times[-1] - times[0]) / (len(times) - 1)
    assert spacing >= 0.7 / RATE


def test_client_request_count_includes_retries(client: GongClient, gong: RunningGong) -> None:
    gong.sim.faults.server_errors = 2

    list(client.iter_users())

    assert client.request_count == len(gong.sim.request_log) == 2 + 3


def test_client_budget_counts_every_request(make_client: Callable[..., GongClient], gong: RunningGong) -> None:
    budget = InMemoryBudget(100)
    client = make_client(budget=budget)
    gong.sim.faults.rate_limited, gong.sim.faults.retry_after = 1, 0

    list(client.iter_users())

    assert budget.used() == client.request_count == 4


def test_client_budget_exceeded_stops_requests(make_client: Callable[..., GongClient], gong: RunningGong) -> None:
    client = make_client(budget=InMemoryBudget(2))

    with pytest.raises(GongBudgetExceeded, match="budget of 2"):
        list(client.iter_calls(*WINDOW))

    assert len(gong.sim.request_log) == 2
