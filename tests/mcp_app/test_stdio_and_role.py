"""`coaching mcp` over stdio with the official MCP SDK client, and the app's read-only database role."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from coaching_pipeline.warehouse.db import parse_url, with_database
from mcp_app.services.context import AppContext
from mcp_app.services.insights import get_rep_insights
from mcp_app.services.people import principal_for
from tests.mcp_app.conftest import MANAGER, REP, a_call_of


def test_stdio_sdk_client_lists_and_calls_every_tool(warehouse, wh) -> None:  # type: ignore[no-untyped-def]
    coaching = Path(sys.executable).with_name("coaching")
    env = {**os.environ, "DATABASE_URL": warehouse, "COACHING_MCP_USER": MANAGER}
    params = StdioServerParameters(command=str(coaching), args=["mcp"], env=env)
    call_id, other = a_call_of(wh, REP), a_call_of(wh, REP, 1)
    arguments: dict[str, dict[str, Any]] = {
        "analyze_call": {"call_id": call_id},
        "get_rep_insights": {"rep": REP},
        "search_calls": {"query": "pricing"},
        "compare_calls": {"call_ids": [call_id, other]},
        "analyze_product_knowledge": {"call_id": call_id},
        "get_coaching_plan": {"rep": REP},
        "update_knowledge_base": {"doc": "prefect_features", "content": "x"},  # a manager is refused
        "batch_analyze_calls": {"call_ids": [call_id], "max_cost_usd": 1},
        "get_batch_progress": {"handle": "unknown"},  # refused: not a handle of theirs
        "export_coaching_report": {"who": REP},
    }

    async def go() -> dict[str, bool]:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            names = [t.name for t in (await session.list_tools()).tools]
            assert sorted(names) == sorted(arguments)
            return {name: (await session.call_tool(name, arguments[name])).is_error for name in names}

    errors = asyncio.run(go())
    assert errors == {name: name in ("update_knowledge_base", "get_batch_progress") for name in arguments}


def test_the_mcp_role_reads_marts_and_cannot_write_them(warehouse) -> None:  # type: ignore[no-untyped-def]
    with psycopg.connect(warehouse) as conn:
        conn.execute("set role coaching_mcp")
        assert conn.execute("select count(*) from marts.call_scores").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("delete from marts.call_scores")
        conn.rollback()
        conn.execute("set role coaching_mcp")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("update raw.calls set title = 'x'")
        conn.rollback()
        conn.execute("set role coaching_mcp")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from mcp.access_tokens where false for update")


def test_the_app_works_through_a_login_in_the_mcp_role(warehouse) -> None:  # type: ignore[no-untyped-def]
    login = f"mcp_app_test_{secrets.token_hex(3)}"
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute(f"create role {login} login in role coaching_mcp")
    try:
        parts = parse_url(warehouse)
        url = with_database(f"postgresql://{login}@{parts.host}:{parts.port}/postgres", parts.dbname)
        ctx = AppContext(url=url)
        with ctx.read() as conn:
            principal = principal_for(conn, email=MANAGER, auth_method="stdio")
        assert get_rep_insights(ctx, principal, REP, 4).benchmarks
    finally:
        with psycopg.connect(warehouse, autocommit=True) as conn:
            conn.execute(f"drop role {login}")
