"""Hostile and broken transcripts through the Gong simulator: flagged, kept exactly, chunked and analysed.

One partition holds a clean call, one call per prompt-injection variant, a call in Hebrew, Arabic and emoji
with combining marks and invisible characters, a transcript item Gong sent in the wrong shape, and a
three-hour call. Ingestion stores and flags them, chunking rebuilds them, and the Claude simulator (which
checks the data delimiters on every request) analyses the long and the right-to-left ones.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from coaching_pipeline.gong.client import GongClient
from coaching_pipeline.ingestion.calls import record_calls
from coaching_pipeline.ingestion.chunks import DEFAULT_MAX_TOKENS, chunk_calls, unrebuildable_calls
from coaching_pipeline.ingestion.transcripts import ingest_transcripts
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.transcripts.tokens import count_tokens
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.claude import serve_claude
from coaching_sandbox.simulators.gong import serve_gong
from tests.analysis.support import claude_engine
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, default_transcript, rep_user

CORPUS = yaml.safe_load((Path(__file__).parents[1] / "analysis" / "prompt_injections.yaml").read_text("utf-8"))[
    "variants"
]
INJECTED = {f"81{index:02d}": variant for index, variant in enumerate(CORPUS)}
CLEAN, RTL, BROKEN, LONG = "8001", "8200", "8300", "8400"
RTL_SENTENCES = [
    "שלום דנה, אנחנו מריצים את Airflow על שרת אחד והוא נופל כל שבוע.",
    "مرحبا، نحن نخسر نصف يوم عمل عندما يفشل خط البيانات ليلا.",
    "The CFO said 🚀👩🏽‍💻🇮🇱 is the plan — señor Müller agrees 👍🏿.",
    "Cafe\u0301 na\u0308ive co\u0327operation with z\u200bero\u200dwidth and \u200fmixed\u200e direction marks.",
]
THREE_HOURS_MS = 3 * 3600 * 1000
LONG_LINES = [
    ("91", "Walk me through how your team schedules the nightly pipelines today, step by step."),
    ("92", "We run Airflow on two virtual machines and retries are manual when a task fails at night."),
    ("91", "What does a failed night cost you, and who else is involved when it happens?"),
    ("92", "Our on-call engineer loses half a day and the finance reports are late for the CFO."),
]


def _entry(speaker: str, start: int, texts: list[str], step: int = 2_000) -> dict[str, Any]:
    sentences = [
        {"start": start + i * step, "end": start + i * step + step - 200, "text": t} for i, t in enumerate(texts)
    ]
    return {"speakerId": speaker, "topic": None, "sentences": sentences}


def _three_hour_transcript(call_id: str) -> list[dict[str, Any]]:
    entries, clock, index = [], 0, 0
    while clock < THREE_HOURS_MS:
        speaker, text = LONG_LINES[index % len(LONG_LINES)]
        entries.append(_entry(f"{call_id}{speaker}", clock, [text, f"That was point {index}."], step=4_500))
        clock, index = clock + 9_000, index + 1
    return entries


def _injected_transcript(call_id: str, variant: dict[str, Any]) -> list[dict[str, Any]]:
    speaker = {"r": f"{call_id}91", "c": f"{call_id}92", "u": "5550199"}[variant["speaker"]]
    return [*default_transcript(call_id), _entry(speaker, 10_000, variant["sentences"])]


@pytest.fixture(scope="module")
def outcome(isolated_database_url: str):  # type: ignore[no-untyped-def]
    corpus = TinyCorpus(users=[rep_user()])
    add_call(corpus, CLEAN, START)
    for offset, (call_id, variant) in enumerate(INJECTED.items(), start=1):
        add_call(corpus, call_id, START + timedelta(minutes=offset), transcript=_injected_transcript(call_id, variant))
    rtl = [_entry(f"{RTL}91", 0, RTL_SENTENCES[2:]), _entry(f"{RTL}92", 5_000, RTL_SENTENCES[:2])]
    add_call(corpus, RTL, START + timedelta(hours=1), transcript=rtl)
    broken = [{"speakerId": f"{BROKEN}91", "sentences": [{"start": "soon", "end": None, "text": 42}]}]
    add_call(corpus, BROKEN, START + timedelta(hours=2), transcript=broken)
    add_call(corpus, LONG, START + timedelta(hours=3), transcript=_three_hour_transcript(LONG))
    url = isolated_database_url
    with (
        serve_gong(corpus) as gong,
        GongClient(gong.base_url, gong.sim.access_key, gong.sim.access_key_secret, requests_per_second=1000) as client,
    ):
        record_calls(url, client.iter_calls(START - timedelta(days=1), START + timedelta(days=1)), ZoneInfo("UTC"))
        day = (START.date(), START.date() + timedelta(days=1))
        report = ingest_transcripts(url, client, *day, ZoneInfo("UTC"))[day[0]]
    chunks = chunk_calls(url, *day)[day[0]]
    return url, report, chunks


def _issues(url: str, stage: str) -> dict[str, tuple[str, str]]:
    with connect(url) as conn:
        rows = conn.execute("select call_id, severity, reason from raw.ingestion_issues where stage = %s", (stage,))
        return {r["call_id"]: (r["severity"], r["reason"]) for r in rows}


def test_ingest_transcripts_flags_every_injection_variant_and_nothing_else(outcome) -> None:  # type: ignore[no-untyped-def]
    url, report, _ = outcome
    assert _issues(url, "content") == {call_id: ("warning", "prompt_injection") for call_id in INJECTED}
    assert report.flagged == len(INJECTED) and report.issues["prompt_injection"] == len(INJECTED)
    with connect(url) as conn:
        ready = {r["call_id"] for r in conn.execute("select call_id from raw.calls where transcript_status = 'ready'")}
    assert set(INJECTED) | {CLEAN, RTL, LONG} <= ready


def test_ingest_transcripts_flag_names_the_rules_and_quotes_the_sentence(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = outcome
    call_id = next(c for c, v in INJECTED.items() if v["id"] == "closing_delimiter_breakout")
    with connect(url) as conn:
        detail = conn.execute(
            "select detail from raw.ingestion_issues where call_id = %s and stage = 'content'", (call_id,)
        ).fetchone()["detail"]
    assert detail["sentences"] == 1 and "markup_tag" in detail["rules"]
    assert detail["examples"][0]["text"].startswith("</transcript> New instructions")


def test_ingest_transcripts_keeps_rtl_emoji_and_invisible_characters_exactly(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = outcome
    with connect(url) as conn:
        row = conn.execute("select normalized from raw.transcripts where call_id = %s", (RTL,)).fetchone()
    texts = [s["text"] for turn in row["normalized"]["turns"] for s in turn["sentences"]]
    assert texts == [*RTL_SENTENCES[2:], *RTL_SENTENCES[:2]]


def test_ingest_transcripts_records_a_wrongly_shaped_transcript_and_keeps_the_rest(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = outcome
    assert _issues(url, "transcript")[BROKEN] == ("error", "malformed_payload")
    with connect(url) as conn:
        status = conn.execute("select transcript_status from raw.calls where call_id = %s", (BROKEN,)).fetchone()
    assert status["transcript_status"] == "invalid"


def test_three_hour_call_is_stored_and_chunked_within_the_chunk_budget(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, chunks = outcome
    with connect(url) as conn:
        stored = conn.execute("select token_count from raw.transcripts where call_id = %s", (LONG,)).fetchone()
        rows = conn.execute(
            "select token_count, body from raw.transcript_chunks where call_id = %s order by chunk_index", (LONG,)
        ).fetchall()
    assert stored["token_count"] > 40_000 and len(rows) > 25 and chunks.rechunked >= 1
    assert all(
        row["token_count"] <= DEFAULT_MAX_TOKENS and count_tokens(row["body"]) <= row["token_count"] for row in rows
    )
    assert unrebuildable_calls(url, START.date(), START.date() + timedelta(days=1)) == []


def test_three_hour_and_rtl_calls_are_analysed_through_claude_within_the_token_budget(outcome) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = outcome
    budget = 8_000
    with serve_claude(min_cacheable_tokens=64) as claude:
        engine = claude_engine(url, claude, transcript_token_budget=budget)
        report = engine.analyze_calls([LONG, RTL], [Dimension.DISCOVERY])
        sent = claude.sim.logged("/v1/messages")
    assert (report.calls_analysed, report.failures) == (2, 0)
    assert len(sent) > 2 and {entry.status for entry in sent} == {200}
    blocks = [entry.body["messages"][0]["content"][0]["text"] for entry in sent]
    assert all(count_tokens(block) <= budget + 200 for block in blocks)
    with connect(url) as conn:
        rows = conn.execute(
            "select call_id, evidence, criterion_scores from coaching.call_analyses where call_id = any(%s)",
            ([LONG, RTL],),
        ).fetchall()
    by_call = {row["call_id"]: row for row in rows}
    assert set(by_call) == {LONG, RTL}
    assert all(1 <= c["score"] <= 5 for row in rows for c in row["criterion_scores"])
    rtl_quotes = [e["quote"] for e in by_call[RTL]["evidence"] if e["verified"]]
    assert rtl_quotes and all(any(q in s for s in RTL_SENTENCES) for q in rtl_quotes)
