"""The public contract (tools, schemas, annotations), the knowledge-base update, batches, resources, prompt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fastmcp import Client
from fastmcp.exceptions import ToolError
from pydantic import SecretStr

from coaching_pipeline.analysis.claude.analyzer import ClaudeAnalyzer
from coaching_pipeline.settings import get_settings
from mcp_app.server import create_app
from mcp_app.services.context import AppContext
from mcp_app.services.principal import Role
from tests.mcp_app.conftest import MANAGER, REP, VP, a_call_of, run_async

SNAPSHOT = Path(__file__).with_name("tools_snapshot.json")


def test_list_tools_matches_the_committed_snapshot(app_for) -> None:  # type: ignore[no-untyped-def]
    async def listing() -> list[dict]:
        async with Client(app_for(REP)) as client:
            return [
                {
                    "name": t.name,
                    "input_schema": t.input_schema,
                    "output_schema": t.output_schema,
                    "annotations": t.annotations.model_dump(exclude_none=True) if t.annotations else None,
                }
                for t in await client.list_tools()
            ]

    tools = run_async(listing)
    if os.environ.get("UPDATE_MCP_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(tools, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert tools == json.loads(SNAPSHOT.read_text(encoding="utf-8")), "set UPDATE_MCP_SNAPSHOT=1 if deliberate"
    assert len(tools) == 10 and all(t["output_schema"] for t in tools)


def test_update_knowledge_base_stores_a_new_version_once_and_names_stale_analyses(call, wh) -> None:  # type: ignore[no-untyped-def]
    doc = (Path(__file__).parents[2] / "kb" / "horizon_features.md").read_text(encoding="utf-8")
    new = doc.replace("version: v1", "version: v2", 1)
    first = call(VP, "update_knowledge_base", {"doc": "horizon_features", "content": new}, role=Role.ADMIN)
    assert first["stored"] and first["version"] == "v2" and first["stale_analysis_count"] > 0
    assert {s["dimension"] for s in first["stale_analyses"]} <= {"product_knowledge", "objection_handling"}
    again = call(VP, "update_knowledge_base", {"doc": "horizon_features", "content": new}, role=Role.ADMIN)
    assert not again["stored"]
    versions = wh.execute(
        "select version from coaching.kb_documents where document_id = 'horizon_features' order by version"
    ).fetchall()
    assert [r["version"] for r in versions] == ["v2"] or [r["version"] for r in versions][-1:] == ["v2"]
    with pytest.raises(ToolError, match="does not validate"):
        call(VP, "update_knowledge_base", {"doc": "horizon_features", "content": "---\nversion: v3\n---\n"}, Role.ADMIN)


def test_batch_estimates_first_then_runs_with_progress_and_a_handle(app_for, call, wh) -> None:  # type: ignore[no-untyped-def]
    ids = [a_call_of(wh, REP), a_call_of(wh, REP, 1)]
    estimate = call(MANAGER, "batch_analyze_calls", {"call_ids": ids, "max_cost_usd": 1, "dimensions": ["discovery"]})
    assert estimate["status"] == "estimate" and estimate["handle"] is None
    assert estimate["estimate"]["cache_hits_expected"] == 2 and estimate["estimate"]["units_to_analyse"] == 0
    seen: list[tuple[float, float | None]] = []

    async def run() -> dict:
        async def progress(done: float, total: float | None, message: str | None) -> None:
            seen.append((done, total))

        async with Client(app_for(MANAGER)) as client:
            args = {"call_ids": ids, "max_cost_usd": 1, "confirm": True, "force": True}
            result = await client.call_tool("batch_analyze_calls", args, progress_handler=progress)
            return result.structured_content

    done = run_async(run)
    assert done["status"] == "done" and done["report"]["calls_analysed"] == 2 and seen[-1] == (8, 8)
    status = call(MANAGER, "get_batch_progress", {"handle": done["handle"]})
    assert status["status"] == "done" and status["done_units"] == status["total_units"] == 8
    with pytest.raises(ToolError, match="no batch"):
        call(REP, "get_batch_progress", {"handle": done["handle"]})


def test_batch_refuses_an_estimate_above_max_cost(warehouse, wh) -> None:  # type: ignore[no-untyped-def]
    settings = get_settings().model_copy(update={"anthropic_api_key": SecretStr("sk-test-never-sent")})
    ctx = AppContext(url=warehouse, settings=settings, analyzer=ClaudeAnalyzer(settings))
    app = create_app(ctx, stdio_email=MANAGER)

    async def go() -> None:
        async with Client(app) as client:
            await client.call_tool("batch_analyze_calls", {"call_ids": [a_call_of(wh, REP)], "max_cost_usd": 0.001})

    with pytest.raises(ToolError, match="above max_cost_usd"):
        run_async(go)


def test_resources_and_the_one_on_one_prompt(app_for) -> None:  # type: ignore[no-untyped-def]
    async def go() -> tuple[str, str, str]:
        async with Client(app_for(MANAGER)) as client:
            rubric = (await client.read_resource("coaching://rubrics/discovery"))[0].text
            kb = (await client.read_resource("coaching://kb/prefect_features"))[0].text
            prompt = (await client.get_prompt("one_on_one", {"rep": REP})).messages[0].content.text
            return rubric, kb, prompt

    rubric, kb, prompt = run_async(go)
    assert json.loads(rubric)["dimension"] == "discovery" and kb.startswith("---\nproduct:")
    assert "Hannah Brooks" in prompt and "Drill:" in prompt and "Target:" in prompt
