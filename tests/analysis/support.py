"""Builders and fixtures for the engine tests: rubrics, a KB, transcripts, raw rows, the Claude simulator."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from psycopg.types.json import Jsonb

from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer
from coaching_pipeline.analysis.claude.resilience import RetryPolicy
from coaching_pipeline.analysis.engine.core import AnalysisEngine
from coaching_pipeline.analysis.engine.options import EngineOptions
from coaching_pipeline.knowledge.models import Criterion, Dimension, KnowledgeDocument, RepRole, Rubric
from coaching_pipeline.settings import Settings
from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn
from coaching_sandbox.simulators.claude import RunningClaude, serve_claude

ALL_ROLES = [RepRole.AE, RepRole.SE, RepRole.CSM]
_CRITERIA = {
    Dimension.DISCOVERY: ("situation", "pain"),
    Dimension.PRODUCT_KNOWLEDGE: ("accuracy", "positioning"),
    Dimension.OBJECTION_HANDLING: ("acknowledge", "respond"),
    Dimension.ENGAGEMENT: ("talk_ratio", "next_steps"),
}
_days = itertools.count()


def rubric(dimension: Dimension, version: str = "v1") -> Rubric:
    criteria = [
        Criterion(
            id=cid,
            name=cid.replace("_", " ").title(),
            description=f"How well the rep handles {cid.replace('_', ' ')} on the call.",
            weight=0.5,
            applies_to=ALL_ROLES,
            anchors={
                "1": "Not done at all on the call.",
                "3": "Done partly, now and then.",
                "5": "Done fully.",
            },
            signals=["walk me through", "next step"],
            drills=["Role-play it with your manager."],
        )
        for cid in _CRITERIA[dimension]
    ]
    return Rubric(
        dimension=dimension,
        version=version,
        title=dimension.value.title(),
        method="SPICED",
        description="Test rubric.",
        criteria=criteria,
    )


RUBRICS = {d: rubric(d) for d in Dimension}
KNOWLEDGE = [
    KnowledgeDocument(
        document_id="prefect_features",
        product="Prefect Cloud",
        version="1",
        updated=date(2026, 7, 1),
        title="Prefect Cloud features",
        terms=["work pool", "deployment", "automations"],
        competitors=["Airflow"],
        body="Prefect Cloud runs flows on work pools with retries, caching and automations. " * 20,
    )
]
SPEAKERS = {
    "r": Speaker(speaker_id="r", name="Riley Rep", role=SpeakerRole.REP, user_id="u-rep"),
    "c": Speaker(speaker_id="c", name="Casey Customer", role=SpeakerRole.CUSTOMER),
}
LINES = [
    ("r", "Thanks for joining. Walk me through how you currently schedule your data pipelines."),
    ("c", "We run Airflow on a single box and it falls over every week. Retries are manual."),
    ("r", "What's the biggest challenge when a pipeline fails at night? Who else is involved?"),
    ("c", "Our on-call engineer loses half a day. My manager decides on tooling by the end of the quarter."),
    ("r", "I hear you. Prefect work pools and automations handle retries for you, for example on failure."),
    ("c", "That sounds useful, but I'm worried about migrating two hundred DAGs."),
    ("r", "That's a fair concern. Customers like yours migrated in weeks. Does that address it?"),
    ("c", "Mostly, yes. Can you send the case study?"),
    ("r", "I'll send it today. As a next step, let's schedule a technical deep dive on Thursday."),
]


def transcript(call_id: str, repeat: int = 1, lines: list[tuple[str, str]] = LINES) -> Transcript:
    turns, clock = [], 0
    for index, (speaker, text) in enumerate(lines * repeat):
        sentences = []
        for part in text.replace("? ", "?|").replace(". ", ".|").split("|"):
            sentences.append(Sentence(start_ms=clock, end_ms=clock + 4000, text=part))
            clock += 4500
        turns.append(Turn(index=index, speaker_id=speaker, sentences=sentences))
    return Transcript(call_id=call_id, rep_user_id="u-rep", speakers=SPEAKERS, turns=turns)


def new_date() -> date:
    """A day no other test uses, so partitions never overlap across tests of one session."""
    return date(2031, 1, 1) + timedelta(days=next(_days))


def insert_call(
    db: psycopg.Connection,
    call_date: date,
    *,
    repeat: int = 1,
    status: str = "ready",
    role: str = "AE",
    lines: list[tuple[str, str]] = LINES,
) -> str:
    call_id = f"call-{uuid.uuid4().hex[:10]}"
    user_id = f"user-{call_id}"
    t = transcript(call_id, repeat, lines)
    normalized = t.model_dump(mode="json")
    sha = hashlib.sha256(t.model_dump_json().encode()).hexdigest()
    started = datetime(call_date.year, call_date.month, call_date.day, 15, tzinfo=UTC)
    db.execute(
        "insert into raw.users (user_id, role, payload) values (%s, %s, '{}')",
        (user_id, role),
    )
    db.execute(
        """insert into raw.calls (call_id, call_date, started_at, duration_seconds, primary_user_id,
           call_type, payload, transcript_status) values (%s, %s, %s, 600, %s, 'discovery', '{}', %s)""",
        (call_id, call_date, started, user_id, status),
    )
    db.execute(
        """insert into raw.transcripts (call_id, payload, normalized, sha256, token_count, turn_count,
           sentence_count) values (%s, '{}', %s, %s, 0, %s, 0)""",
        (call_id, Jsonb(normalized), sha, len(t.turns)),
    )
    return call_id


class FakeClock:
    """Monotonic time that moves only when slept on, so waits are asserted, never spent."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        """Wall time moving with `now` (from 2027-01-15), so a stored breaker's cool-down passes on demand."""
        return 1_800_000_000.0 + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


def claude_settings(base_url: str) -> Settings:
    return Settings(anthropic_api_key="test-key", anthropic_base_url=base_url)


def options(**overrides: object) -> EngineOptions:
    defaults: dict[str, object] = {
        "max_concurrency": 2,
        "spend_cap_usd": 25.0,
        "retry": RetryPolicy(max_attempts=3, base_seconds=0.0, max_backoff_seconds=0.0),
        "breaker_threshold": 5,
        "breaker_cooldown_seconds": 30.0,
        "batch_poll_seconds": 0.0,
        "batch_max_wait_seconds": 5.0,
    }
    return EngineOptions(**{**defaults, **overrides})


def claude_engine(
    url: str,
    claude: RunningClaude,
    *,
    clock: FakeClock | None = None,
    rubrics: dict | None = None,
    **overrides: object,
) -> AnalysisEngine:
    settings = claude_settings(claude.base_url)
    rubrics = rubrics or RUBRICS
    analyzer = ClaudeAnalyzer(settings, rubrics=rubrics)
    return AnalysisEngine(
        url,
        analyzer,
        settings=settings,
        options=options(**overrides),
        rubrics=rubrics,
        knowledge=KNOWLEDGE,
        clock=clock or FakeClock(),
    )


@pytest.fixture
def claude(database_url: str) -> Iterator[RunningClaude]:
    """A fresh simulator; its circuit breaker, stored under its URL in the session database, goes with it."""
    with serve_claude(min_cacheable_tokens=64) as running:
        yield running
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("delete from coaching.claude_breaker where name = %s", (running.base_url.rstrip("/"),))


def messages(claude: RunningClaude) -> list:
    return claude.sim.logged("/v1/messages")
