"""The app over streamable HTTP on loopback (a real uvicorn server): bearer tokens, scopes, audit rows."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport
from fastmcp.exceptions import ToolError

from coaching_pipeline.settings import get_settings
from mcp_app.auth import build_auth, create_token, revoke_token
from mcp_app.server import create_app
from mcp_app.services.context import AppContext
from mcp_app.services.principal import Role
from tests.mcp_app.conftest import MANAGER, OTHER_TEAM_REP, PEER, REP, VP, a_call_of


@pytest.fixture(scope="module")
def server(warehouse: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(AppContext(url=warehouse), auth=build_auth(warehouse, get_settings()))
    config = uvicorn.Config(app.http_app(), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/mcp"
    uv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def tokens(warehouse: str) -> dict[str, str]:
    made = {
        "rep": create_token(warehouse, email=REP, role=Role.REP, days=1, label="test")[0],
        "manager": create_token(warehouse, email=MANAGER, role=Role.MANAGER, days=1, label="test")[0],
        "admin": create_token(warehouse, email=VP, role=Role.ADMIN, days=1, label="test")[0],
        "revoked": create_token(warehouse, email=REP, role=Role.REP, days=1, label="revoked")[0],
        "expired": create_token(warehouse, email=REP, role=Role.REP, days=1, label="expired")[0],
    }
    revoke_token(warehouse, token_id=made["revoked"].split("_")[1])
    import psycopg

    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("update mcp.access_tokens set expires_at = now() - interval '1 minute' where label = 'expired'")
    return made


def _call(url: str, token: str, tool: str, arguments: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with Client(StreamableHttpTransport(url, auth=token)) as client:
            return (await client.call_tool(tool, arguments)).structured_content

    return asyncio.run(go())


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer cmcp_0_forged", "revoked", "expired"])
def test_http_without_a_valid_token_is_401(server, tokens, header) -> None:  # type: ignore[no-untyped-def]
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if header:
        headers["Authorization"] = f"Bearer {tokens[header]}" if header in tokens else header
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    assert httpx.post(server, json=body, headers=headers).status_code == 401


def test_http_rep_token_cannot_read_another_reps_data(server, tokens, wh) -> None:  # type: ignore[no-untyped-def]
    other_call, own_call = a_call_of(wh, PEER), a_call_of(wh, REP)
    refused = [
        ("analyze_call", {"call_id": other_call}),
        ("compare_calls", {"call_ids": [own_call, other_call]}),
        ("analyze_product_knowledge", {"call_id": other_call}),
        ("analyze_product_knowledge", {"rep": PEER}),
        ("get_rep_insights", {"rep": PEER}),
        ("get_coaching_plan", {"rep": PEER}),
        ("export_coaching_report", {"who": PEER}),
        ("search_calls", {"rep": PEER}),
        ("batch_analyze_calls", {"call_ids": [other_call], "max_cost_usd": 1}),
    ]
    start = wh.execute("select coalesce(max(audit_id), 0) as id from mcp.audit_log").fetchone()["id"]
    for tool, arguments in refused:
        with pytest.raises(ToolError, match="you can see"):
            _call(server, tokens["rep"], tool, arguments)
    assert _call(server, tokens["rep"], "get_rep_insights", {})["rep"]["email"] == REP
    hits = _call(server, tokens["rep"], "search_calls", {"limit": 50})["hits"]
    assert hits and {h["rep_name"] for h in hits} == {"Hannah Brooks"}
    rows = wh.execute(
        "select tool, principal_email, auth_method, outcome from mcp.audit_log where audit_id > %s order by audit_id",
        (start,),
    ).fetchall()
    assert [r["tool"] for r in rows] == [t for t, _ in refused] + ["get_rep_insights", "search_calls"]
    assert {(r["principal_email"], r["auth_method"]) for r in rows} == {(REP, "token")}
    assert [r["outcome"] for r in rows[: len(refused)]] == ["invalid"] * len(refused)


def test_http_manager_is_limited_to_the_team_and_an_admin_is_not(server, tokens) -> None:  # type: ignore[no-untyped-def]
    assert _call(server, tokens["manager"], "get_coaching_plan", {"rep": PEER})["rep"]["email"] == PEER
    with pytest.raises(ToolError, match="you can see"):
        _call(server, tokens["manager"], "get_rep_insights", {"rep": OTHER_TEAM_REP})
    teams = {h["team"] for h in _call(server, tokens["manager"], "search_calls", {"limit": 50})["hits"]}
    assert teams == {"Enterprise"}
    assert _call(server, tokens["admin"], "get_rep_insights", {"rep": OTHER_TEAM_REP})["rep"]["email"] == OTHER_TEAM_REP
