"""daily_spend_within_budget: WARN near the budget, ERROR over it, and one Slack alert a day over it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import psycopg
import pytest

from coaching_pipeline.defs.alerts import LLM_DAILY_COSTS, daily_spend_within_budget
from coaching_pipeline.defs.resources import AlertsResource, WarehouseResource
from tests.reviews.servers import LocalSlack

BUDGET_USD = 10.0


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack.running() as server:
        yield server


@pytest.fixture
def ledger_url(isolated_database_url: str) -> str:
    with psycopg.connect(isolated_database_url, autocommit=True) as conn:
        conn.execute("truncate coaching.llm_requests, coaching.pipeline_events")
    return isolated_database_url


def _spend(url: str, dollars: float) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into coaching.llm_requests (model, mode, status, cost_usd, requested_at) "
            "values ('claude-sonnet-5-5', 'sync', 'ok', %s, %s)",
            (dollars, datetime.now(UTC)),
        )


def _check(url: str, slack: LocalSlack) -> dg.AssetCheckEvaluation:
    result = dg.materialize(
        [dg.AssetSpec(LLM_DAILY_COSTS), daily_spend_within_budget],
        selection=dg.AssetSelection.checks(daily_spend_within_budget),
        resources={
            "warehouse": WarehouseResource(database_url=url),
            "alerts": AlertsResource(slack_webhook_url=slack.url, daily_budget_usd=BUDGET_USD),
        },
    )
    [evaluation] = result.get_asset_check_evaluations()
    return evaluation


def test_daily_spend_within_budget_passes_under_budget(ledger_url: str, slack: LocalSlack) -> None:
    _spend(ledger_url, 2.5)
    evaluation = _check(ledger_url, slack)
    assert evaluation.passed
    assert slack.requests == 0


def test_daily_spend_within_budget_warns_near_budget(ledger_url: str, slack: LocalSlack) -> None:
    _spend(ledger_url, 8.5)
    evaluation = _check(ledger_url, slack)
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert slack.requests == 0


def test_daily_spend_within_budget_alerts_once_a_day_over_budget(ledger_url: str, slack: LocalSlack) -> None:
    _spend(ledger_url, 6.0)
    _spend(ledger_url, 6.0)
    first, second = _check(ledger_url, slack), _check(ledger_url, slack)
    assert not first.passed and first.severity == dg.AssetCheckSeverity.ERROR
    assert not second.passed
    assert slack.requests == 1
    assert "$12.00" in slack.payloads[0]["text"] and "$10.00" in slack.payloads[0]["text"]
    assert first.metadata["slack_alert"].value == "sent"
    assert second.metadata["slack_alert"].value == "already_sent"
