"""Shared inputs for the Claude simulator tests: a small call, a long shared prefix, request builders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import pytest
from anthropic.lib._parse._transform import transform_schema

from coaching_pipeline.analysis.models import DimensionAnalysis
from coaching_pipeline.transcripts.models import Sentence, Speaker, SpeakerRole, Transcript, Turn
from coaching_pipeline.transcripts.render import render_transcript
from coaching_sandbox.simulators.claude import RunningClaude, serve_claude

MODEL = "claude-sonnet-5-5"
DIMENSIONS = ("discovery", "product_knowledge", "objection_handling", "engagement")

_TURNS = [
    (
        "rep",
        [
            "Thanks for making the time today.",
            "Walk me through how you currently run your nightly pipelines?",
        ],
    ),
    (
        "cust",
        ["We run Airflow on a couple of VMs.", "When a task fails at night nobody notices until morning."],
    ),
    ("rep", ["What happens when a job fails overnight?", "How do you measure the impact on the business?"]),
    ("cust", ["Finance reports are late and the CFO escalates it every time."]),
    (
        "rep",
        ["I hear you, that's a fair concern.", "Customers like Acme moved their retries into Prefect Cloud."],
    ),
    ("se", ["Under the hood, work pools and automations handle the retries for you."]),
    ("cust", ["Honestly the price worries me more than the migration."]),
    ("rep", ["Help me understand what's behind the price concern?", "Does that answer your question?"]),
    (
        "rep",
        [
            "So what I'm hearing is reliability and cost.",
            "Let's schedule a next step with your platform lead.",
        ],
    ),
]


def sample_transcript() -> Transcript:
    speakers = {
        "rep": Speaker(speaker_id="rep", name="Dana Rivera", role=SpeakerRole.REP, user_id="u1"),
        "se": Speaker(speaker_id="se", name="Lee Park", role=SpeakerRole.INTERNAL, user_id="u2"),
        "cust": Speaker(speaker_id="cust", name="Sam O'Neil", role=SpeakerRole.CUSTOMER),
    }
    turns: list[Turn] = []
    clock = 4_000
    for index, (speaker_id, texts) in enumerate(_TURNS):
        sentences = []
        for text in texts:
            sentences.append(Sentence(start_ms=clock, end_ms=clock + 3_000, text=text))
            clock += 9_000
        turns.append(Turn(index=index, speaker_id=speaker_id, sentences=sentences))
    return Transcript(call_id="call-1", rep_user_id="u1", speakers=speakers, turns=turns)


def transcript_text() -> str:
    return render_transcript(sample_transcript())


def shared_system(repeat: int = 60) -> str:
    """Instructions, rubric and knowledge base: long enough (> 1024 tokens) to be cacheable."""
    rubric = (
        "Rubric criterion situation: the rep uncovers how the team currently orchestrates workflows. "
        "Knowledge base: Prefect Cloud runs flows on work pools with retries, caching and automations. "
    )
    return "You are a sales coach scoring one call.\n" + rubric * repeat


def analysis_schema(criteria: list[str] | None = None) -> dict[str, Any]:
    """The SDK's own transform of DimensionAnalysis, optionally with criterion ids pinned by an enum."""
    schema = transform_schema(DimensionAnalysis)
    if criteria is not None:
        schema["$defs"]["CriterionScore"]["properties"]["criterion_id"] = {"type": "string", "enum": criteria}
    return schema


def dimension_request(dimension: str, *, transcript: str | None = None, ttl: str = "5m") -> dict[str, Any]:
    """One per-dimension ask after the shared, cached [system ... transcript] prefix."""
    control = {"type": "ephemeral", "ttl": ttl}
    return {
        "model": MODEL,
        "max_tokens": 4_000,
        "system": [{"type": "text", "text": shared_system(), "cache_control": control}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": transcript or transcript_text(), "cache_control": control},
                    {"type": "text", "text": f"Score the {dimension} dimension of this call."},
                ],
            }
        ],
        "output_config": {"format": {"type": "json_schema", "schema": analysis_schema()}},
    }


def claude_fixtures(**config: Any) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    """`running` (a server per module), `claude` (it, reset for each test), `client` (one SDK client).

    Starting a server and an SDK client per test costs about a third of a second each; a reset costs nothing.
    These modules test the wire protocol with bare requests ("Hello there"), so the pipeline's delimiter
    contract is off unless asked for; test_claude_delimiters.py tests it, and the pipeline's tests keep it on.
    """
    config.setdefault("require_transcript_delimiters", False)

    @pytest.fixture(scope="module")
    def running() -> Iterator[RunningClaude]:
        with serve_claude(**config) as server:
            yield server

    @pytest.fixture
    def claude(running: RunningClaude) -> RunningClaude:
        running.sim.reset()
        return running

    @pytest.fixture(scope="module")
    def client(running: RunningClaude) -> Iterator[anthropic.Anthropic]:
        with running.client() as sdk:
            yield sdk

    return running, claude, client
