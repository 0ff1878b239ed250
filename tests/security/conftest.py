"""One run of the whole pipeline with recognisable fake keys, then a retention purge, shared by the security tests.

Gong (simulator, fake key pair) -> signed webhooks and the real gong_calls_sensor -> the code location's job for
a day past the retention window and a day inside it (Claude simulator, fake API key) -> the retention job -> a
refetch of the purged day -> a full `dbt build` -> the MCP app's answers. Every log record is captured.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anthropic
import dagster as dg
import httpx
import psycopg
import pytest
from psycopg.rows import dict_row

from coaching_pipeline.settings import Settings, get_settings
from tests.ingestion.gong_shapes import rep_user
from tests.security.support import (
    FAKE_KEYS,
    NEW_MARKER,
    OLD_MARKER,
    Captured,
    caught_up,
    columns_containing,
    corpus,
    days_ago,
)

RETENTION_DAYS = 30
QUOTE_COLUMNS = {
    "call_scores": {"evidence"},
    "rep_coaching_focus": {
        "evidence_quotes",
        "quote_count",
        "top_quote",
        "top_quote_call_id",
        "top_quote_call_url",
        "top_quote_start_seconds",
    },
}


@dataclass
class SecuredRun:
    url: str
    old_day: date
    new_day: date
    instance: dg.DagsterInstance
    logs: list[str]
    outputs: list[str] = field(default_factory=list)
    claude_bodies: list[str] = field(default_factory=list)
    old_text_before_purge: list[str] = field(default_factory=list)
    mcp_answers: dict[str, str] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


def snapshot(url: str) -> dict[str, Any]:
    """Scores as stored and every mart's rows, less the columns that hold evidence quotes."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        state = {
            "analyses": conn.execute(
                "select call_id, dimension, overall_score, criterion_scores, evidence_count "
                "from coaching.call_analyses order by call_id, dimension"
            ).fetchall(),
            "stats": conn.execute("select * from coaching.call_interaction_stats order by call_id").fetchall(),
        }
        marts = conn.execute("select tablename from pg_tables where schemaname = 'marts' order by 1").fetchall()
        for row in marts:
            table = row["tablename"]
            rows = conn.execute(f'select * from marts."{table}"').fetchall()
            dropped = QUOTE_COLUMNS.get(table, set())
            kept = [{k: v for k, v in r.items() if k not in dropped and k != "computed_at"} for r in rows]
            state[f"marts.{table}"] = sorted(kept, key=repr)
    return state


def _failed_auth_messages(gong_url: str, claude_url: str) -> list[str]:
    """What a wrong key produces: the errors must not echo the key they were given."""
    from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer
    from coaching_pipeline.gong.client import GongClient
    from coaching_pipeline.gong.errors import GongError

    messages = []
    wrong = Settings(
        gong_base_url=gong_url,
        gong_access_key=FAKE_KEYS["GONG_ACCESS_KEY"],
        gong_access_key_secret=FAKE_KEYS["GONG_ACCESS_KEY_SECRET"] + "-WRONG",
        anthropic_api_key=FAKE_KEYS["ANTHROPIC_API_KEY"] + "-WRONG",
        anthropic_base_url=claude_url,
    )
    try:
        with GongClient.from_settings(wrong) as client:
            list(client.iter_users())
    except GongError as exc:
        messages.append(f"{exc!r} {exc}")
    try:
        ClaudeAnalyzer(wrong).client.messages.create(
            model=wrong.coaching_model, max_tokens=16, messages=[{"role": "user", "content": "Hello"}]
        )
    except anthropic.AuthenticationError as exc:
        messages.append(f"{exc!r} {exc}")
    messages.append(repr(wrong))
    return messages


def _mcp_answers(url: str) -> dict[str, str]:
    """What the MCP app answers an admin, in memory: insights, searches for both markers, a forced analysis."""
    from fastmcp import Client

    from mcp_app.server import create_app
    from mcp_app.services.context import AppContext
    from mcp_app.services.principal import Role

    questions = {
        "insights": ("get_rep_insights", {}),
        # Two of each marker's three words: the audit log keeps search queries, never the whole phrase here.
        "search_new": ("search_calls", {"query": NEW_MARKER.split(" ", 1)[1]}),
        "search_old": ("search_calls", {"query": OLD_MARKER.split(" ", 1)[1]}),
        "analyze": ("analyze_call", {"call_id": "6200001", "force": True}),
    }

    async def ask() -> dict[str, str]:
        app = create_app(AppContext(url=url), stdio_email=rep_user()["emailAddress"], stdio_role=Role.ADMIN)
        async with Client(app) as client:
            return {
                name: json.dumps((await client.call_tool(tool, arguments)).structured_content, default=str)
                for name, (tool, arguments) in questions.items()
            }

    return asyncio.run(ask())


@pytest.fixture(scope="session")
def secured_run(database_factory, tmp_path_factory: pytest.TempPathFactory) -> SecuredRun:  # type: ignore[no-untyped-def]
    from coaching_pipeline.definitions import defs
    from coaching_pipeline.gong.client import GongClient
    from coaching_pipeline.ingestion.transcripts import ingest_transcripts
    from coaching_pipeline.reviews.warehouse_summary import demo_summary
    from coaching_pipeline.runner.runs import evaluate_sensor, run_range, run_reference_data
    from coaching_pipeline.webhooks.app import create_app
    from coaching_pipeline.webhooks.config import webhook_config
    from coaching_sandbox.simulators._server import serve_app
    from coaching_sandbox.simulators.claude import serve_claude
    from coaching_sandbox.simulators.gong import serve_gong
    from coaching_sandbox.simulators.gong_webhooks import delivery, hmac_headers
    from tests.dbt.dbt_runs import run_dbt

    url = database_factory.create("security")
    target: Path = tmp_path_factory.mktemp("security-dbt")
    old_day, new_day = days_ago(60), days_ago(3)
    tiny, starts = corpus(old_day, new_day)
    captured, root = Captured(), logging.getLogger()
    saved_level = root.level
    root.addHandler(captured)
    root.setLevel(logging.DEBUG)
    try:
        with (
            serve_gong(
                tiny,
                access_key=FAKE_KEYS["GONG_ACCESS_KEY"],
                access_key_secret=FAKE_KEYS["GONG_ACCESS_KEY_SECRET"],
            ) as gong,
            serve_claude(api_key=FAKE_KEYS["ANTHROPIC_API_KEY"], min_cacheable_tokens=64) as claude,
            pytest.MonkeyPatch.context() as env,
        ):
            for name, value in FAKE_KEYS.items():
                env.setenv(name, value)
            env.setenv("DATABASE_URL", url)
            env.setenv("GONG_BASE_URL", gong.base_url)
            env.setenv("ANTHROPIC_BASE_URL", claude.base_url)
            env.setenv("COACHING_TRANSCRIPT_RETENTION_DAYS", str(RETENTION_DAYS))
            get_settings.cache_clear()
            run = SecuredRun(url, old_day, new_day, dg.DagsterInstance.ephemeral(), captured.lines)

            app = create_app(webhook_config(get_settings()), url)
            with serve_app(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
                for call_id, marker in (("6100000", OLD_MARKER), ("6200000", NEW_MARKER)):
                    extra = {"content": {"brief": f"Webhook brief on the {marker}."}}
                    body = delivery(call_id, starts[call_id], extra=extra)
                    headers = hmac_headers(body, FAKE_KEYS["GONG_WEBHOOK_SECRET"])
                    run.outputs.append(client.post("/webhooks/gong", content=body, headers=headers).text)

            run_reference_data(defs, run.instance)
            cursor = None
            for _ in range(8):  # until the cursor reaches now, then once more to consume the webhook events
                result, cursor = evaluate_sensor(defs, run.instance, cursor)
                run.outputs.append(repr(result))
                if caught_up(cursor):
                    break
            evaluate_sensor(defs, run.instance, cursor)
            for day in (old_day, new_day):
                run_range(defs, run.instance, day, day)
            run.claude_bodies = [str(entry.body) for entry in claude.sim.logged("/v1/messages")]
            run.before = snapshot(url)  # the marts as the two partition runs built them
            run.old_text_before_purge = columns_containing(url, OLD_MARKER)

            purge = defs.resolve_job_def("retention_job").execute_in_process(instance=run.instance)
            assert purge.success
            with GongClient.from_settings(get_settings()) as gong_client:  # a backfill refetching the purged day
                ingest_transcripts(
                    url, gong_client, old_day, old_day + timedelta(days=1), get_settings().timezone, refetch=True
                )
            run_dbt(url, target, "build")
            run.after = snapshot(url)

            run.mcp_answers = _mcp_answers(url)
            run.claude_bodies = [str(entry.body) for entry in claude.sim.logged("/v1/messages")]
            run.outputs += demo_summary(url)
            run.outputs += _failed_auth_messages(gong.base_url, claude.base_url)
            run.outputs.append(repr(get_settings()))
    finally:  # the environment, logging and settings are restored before any test looks
        root.removeHandler(captured)
        root.setLevel(saved_level)
        get_settings.cache_clear()
    return run
