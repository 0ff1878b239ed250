"""The day's Claude spend against COACHING_DAILY_BUDGET_USD: a verdict, and a Slack message once per day over."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

import psycopg
from pydantic import BaseModel

# Spend from this share of the budget on is a warning; over the budget, an error and a Slack alert.
WARN_SHARE = Decimal("0.8")

_DAY_SPEND = """
select coalesce(sum(cost_usd), 0) from coaching.llm_requests
where requested_at >= %(start)s and requested_at < %(end)s
"""


class BudgetVerdict(BaseModel):
    day: date
    spend_usd: Decimal
    budget_usd: Decimal
    level: Literal["ok", "warn", "over"]

    @property
    def description(self) -> str:
        state = {"ok": "within", "warn": "near", "over": "over"}[self.level]
        return f"Claude spend on {self.day}: ${self.spend_usd:.2f}, {state} the daily budget of ${self.budget_usd:.2f}."


def day_spend(url: str, day: date, timezone: ZoneInfo) -> Decimal:
    """Dollars in the cost ledger requested on `day` in `timezone` (the day llm_daily_costs reports)."""
    start = datetime.combine(day, time.min, tzinfo=timezone)
    with psycopg.connect(url) as conn:
        row = conn.execute(_DAY_SPEND, {"start": start, "end": start + timedelta(days=1)}).fetchone()
    return Decimal(row[0]) if row else Decimal(0)


def budget_verdict(day: date, spend: Decimal, budget: Decimal) -> BudgetVerdict:
    level: Literal["ok", "warn", "over"] = (
        "over" if spend > budget else "warn" if spend >= budget * WARN_SHARE else "ok"
    )
    return BudgetVerdict(day=day, spend_usd=spend, budget_usd=budget, level=level)


def budget_alert_key(day: date) -> str:
    return f"alert:over_budget:{day.isoformat()}"


def over_budget_payload(verdict: BudgetVerdict) -> dict[str, Any]:
    text = (
        f"{verdict.description} Runs go on (each stops at COACHING_RUN_SPEND_CAP_USD); see llm_daily_costs and "
        "coaching.llm_requests for what spent it."
    )
    return {
        "text": text,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Claude spend over the daily budget"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        ],
    }
