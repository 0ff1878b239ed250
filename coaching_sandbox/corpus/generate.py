"""The seeded sample corpus: a quarter of Prefect's sales calls in Gong's exact API shapes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from coaching_sandbox.corpus.accounts import build_accounts
from coaching_sandbox.corpus.calls import build_call
from coaching_sandbox.corpus.ids import IdFactory
from coaching_sandbox.corpus.malformed import corrupt
from coaching_sandbox.corpus.people import build_org
from coaching_sandbox.corpus.profiles import draw_baseline, style_for
from coaching_sandbox.corpus.schedule import build_slots
from coaching_sandbox.corpus.world import load_world


@dataclass
class GongCorpus:
    users: list[dict[str, Any]]  # items of GET /v2/users
    calls: list[dict[str, Any]]  # items of POST /v2/calls/extensive: {"metaData", "parties", "content"}
    transcripts: dict[str, list[dict[str, Any]]]  # callId -> transcript entries (speaker turns)
    available_at: dict[str, datetime]  # callId -> first listed by /v2/calls (aware UTC)
    transcript_ready_at: dict[str, datetime]  # callId -> transcript fetchable (aware UTC)
    profiles: dict[str, str]  # rep userId -> profile label (tests and docs only)
    malformed: dict[str, str]  # callId -> what is deliberately wrong with it


def generate_corpus(
    seed: int = 42,
    *,
    start: date = date(2026, 8, 3),
    weeks: int = 13,
    calls: int | None = None,
    tenant_timezone: str = "America/New_York",
    include_malformed: bool | None = None,
) -> GongCorpus:
    """Same arguments, same corpus, byte for byte: every draw comes from generators seeded from `seed`.

    `calls` overrides the default count (420-480); malformed calls are added only to the default-sized
    corpus unless `include_malformed` says otherwise.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    world, zone = load_world(), ZoneInfo(tenant_timezone)
    org_rng = random.Random(f"{seed}:org")
    org = build_org(org_rng, IdFactory(org_rng), world, zone, start)
    accounts = build_accounts(random.Random(f"{seed}:accounts"), world)
    count = calls if calls is not None else random.Random(seed).randint(420, 480)
    schedule_rng = random.Random(f"{seed}:schedule")
    slots = build_slots(
        schedule_rng, IdFactory(schedule_rng), org.reps, accounts, start=start, weeks=weeks, count=count, zone=zone
    )
    baseline_rng = random.Random(f"{seed}:baselines")
    baselines = {rep.user_id: draw_baseline(baseline_rng) for rep in org.reps}

    corpus = GongCorpus(org.users, [], {}, {}, {}, {r.user_id: r.profile for r in org.reps}, {})
    for slot in slots:
        frac = slot.week / (weeks - 1) if weeks > 1 else 0.0
        record = build_call(seed, world, slot, style_for(slot.rep.profile, baselines[slot.rep.user_id], frac))
        corpus.calls.append(record.call)
        corpus.transcripts[slot.call_id] = record.transcript
        corpus.available_at[slot.call_id] = record.available_at
        corpus.transcript_ready_at[slot.call_id] = record.transcript_ready_at

    if include_malformed if include_malformed is not None else calls is None:
        steady = {r.user_id for r in org.reps if r.profile == "steady"}
        candidates = [s.call_id for s in slots if s.rep.user_id in steady and s.minutes < 100]
        by_id = {c["metaData"]["id"]: c for c in corpus.calls}
        corpus.malformed = corrupt(random.Random(f"{seed}:malformed"), by_id, corpus.transcripts, candidates)
    return corpus


@cache
def load_sample_corpus() -> GongCorpus:
    """The default corpus, built once per process (a few seconds); callers share it, so must not mutate it."""
    return generate_corpus()


def corpus_window(corpus: GongCorpus) -> tuple[datetime, datetime]:
    """[first start, last start + 1 s): the fromDateTime/toDateTime range that lists every call."""
    started = [datetime.fromisoformat(c["metaData"]["started"]).astimezone(UTC) for c in corpus.calls]
    return min(started), max(started) + timedelta(seconds=1)
