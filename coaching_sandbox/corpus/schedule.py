"""Who meets whom and when: calls spread over the weeks, on weekdays, in the tenant's business hours."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coaching_sandbox.corpus.accounts import Account
from coaching_sandbox.corpus.calls import Slot
from coaching_sandbox.corpus.ids import IdFactory
from coaching_sandbox.corpus.people import Member

ROLE_WEIGHT = {"AE": 1.1, "SE": 1.0, "CSM": 0.85}
KIND_MIX = {
    "AE": (("Discovery", 0.45), ("Demo", 0.45), ("Technical Deep Dive", 0.1)),
    "SE": (("Demo", 0.5), ("Technical Deep Dive", 0.4), ("Discovery", 0.1)),
    "CSM": (("QBR", 0.55), ("Renewal", 0.45)),
}
MINUTES = {
    "Discovery": (25, 50),
    "Demo": (30, 60),
    "Technical Deep Dive": (45, 85),
    "Renewal": (15, 45),
    "QBR": (40, 75),
}
DAY_START, DAY_END = 8 * 60, 18 * 60 + 30  # minutes after midnight, tenant time


def _shares(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights`."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _kind(rng: random.Random, rep: Member, first_of_week: bool) -> str:
    if rep.role == "AE" and first_of_week:
        return "Discovery"  # every AE opens a new deal each week, so week-on-week trends are visible
    kinds, weights = zip(*KIND_MIX[rep.role], strict=True)
    return rng.choices(kinds, weights)[0]


def _colleague(rng: random.Random, rep: Member, kind: str, team: list[Member]) -> Member | None:
    chance = {"AE": 0.55 if kind != "Discovery" else 0.1, "SE": 0.35, "CSM": 0.15}[rep.role]
    partner_role = "AE" if rep.role == "SE" else "SE"
    options = [m for m in team if m.role == partner_role]
    return rng.choice(options) if options and rng.random() < chance else None


def _minutes(rng: random.Random, kind: str) -> float:
    if kind in ("Discovery", "Renewal") and rng.random() < 0.06:
        return rng.uniform(11, 16)
    return rng.uniform(*MINUTES[kind])


def _start_time(rng: random.Random, day: date, minutes: float, booked: list[tuple[int, int]]) -> int:
    """A start on the quarter hour (mostly on the hour or half hour) that does not overlap the rep's day."""
    latest = max(DAY_START, int(DAY_END - minutes))
    choices = list(range(DAY_START, latest + 1, 15))
    weights = [3 if m % 30 == 0 else 1 for m in choices]
    for _ in range(12):
        start = rng.choices(choices, weights)[0]
        if all(start + minutes + 10 <= b or start >= e + 10 for b, e in booked):
            break
    booked.append((start, int(start + minutes)))
    return start


def build_slots(
    rng: random.Random,
    ids: IdFactory,
    reps: list[Member],
    accounts: list[Account],
    *,
    start: date,
    weeks: int,
    count: int,
    zone: ZoneInfo,
) -> list[Slot]:
    plan: list[tuple[Member, int, str, float]] = []
    for rep, total in zip(reps, _shares(count, [ROLE_WEIGHT[r.role] for r in reps]), strict=True):
        per_week = _shares(total, [1.0] * weeks)
        rng.shuffle(per_week)
        for week, n in enumerate(per_week):
            for j in range(n):
                kind = _kind(rng, rep, j == 0)
                plan.append((rep, week, kind, _minutes(rng, kind)))
    long_call = _two_hour_call(plan, weeks)
    if long_call is not None:
        rep, week, kind, _ = plan[long_call]
        plan[long_call] = (rep, week, kind, rng.uniform(118, 124))
    booked: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    teams: dict[str, list[Member]] = defaultdict(list)
    for rep in reps:
        teams[rep.team].append(rep)
    drafts = []
    for rep, week, kind, minutes in plan:
        days = [start + timedelta(days=7 * week + d) for d in range(7)]
        day = rng.choice([d for d in days if d.weekday() < 5])
        at = _start_time(rng, day, minutes, booked[(rep.user_id, day)])
        scheduled = datetime.combine(day, time(at // 60, at % 60), zone)
        pool = [a for a in accounts if a.segment == rep.team and a.is_customer == (rep.role == "CSM")]
        colleague = _colleague(rng, rep, kind, teams[rep.team])
        drafts.append((scheduled, rep, kind, colleague, rng.choice(pool), minutes, week))
    drafts.sort(key=lambda d: (d[0], d[1].user_id))
    return [
        Slot(i, ids.numeric(19), kind, rep, colleague, account, scheduled, minutes, week)
        for i, (scheduled, rep, kind, colleague, account, minutes, week) in enumerate(drafts)
    ]


def _two_hour_call(plan: list[tuple[Member, int, str, float]], weeks: int) -> int | None:
    """A steady SE's deep dive near mid-quarter becomes a two-hour architecture workshop."""
    candidates = [i for i, (rep, _, kind, _) in enumerate(plan) if kind == "Technical Deep Dive"]
    steady = [i for i in candidates if plan[i][0].profile == "steady" and plan[i][0].role == "SE"]
    pool = steady or candidates or list(range(len(plan)))
    if not pool:
        return None
    return min(pool, key=lambda i: (abs(plan[i][1] - weeks // 2), i))
