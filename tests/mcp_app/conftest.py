"""The MCP app over the session's sample warehouse: in-memory clients acting as a rep, a manager or an admin."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import psycopg
import pytest
from fastmcp import Client, FastMCP
from psycopg.rows import dict_row

from mcp_app.server import create_app
from mcp_app.services.context import AppContext
from mcp_app.services.principal import Role

REP = "hannah.brooks@prefect.io"  # Enterprise AE, reports to Daniel
PEER = "marcus.bell@prefect.io"  # another Enterprise AE
MANAGER = "daniel.whitfield@prefect.io"  # Enterprise manager
OTHER_TEAM_REP = "ethan.cole@prefect.io"  # Mid-Market, reports to Rachel
VP = "margaret.okonkwo@prefect.io"  # manages both managers


@pytest.fixture(scope="session")
def warehouse(sample_warehouse: tuple[str, object]) -> str:
    return sample_warehouse[0]


@pytest.fixture(scope="session")
def app_for(warehouse: str) -> Callable[..., FastMCP]:
    ctx = AppContext(url=warehouse)
    apps: dict[tuple[str, Role | None], FastMCP] = {}

    def build(email: str, role: Role | None = None) -> FastMCP:
        if (email, role) not in apps:
            apps[(email, role)] = create_app(ctx, stdio_email=email, stdio_role=role)
        return apps[(email, role)]

    return build


@pytest.fixture(scope="session")
def call(app_for: Callable[..., FastMCP]) -> Callable[..., Any]:
    """call(email, tool, args, role=None) -> structured result, through an in-memory FastMCP client."""

    def run(email: str, tool: str, arguments: dict[str, Any] | None = None, role: Role | None = None) -> Any:
        async def go() -> Any:
            async with Client(app_for(email, role)) as client:
                result = await client.call_tool(tool, arguments or {})
                return result.structured_content

        return asyncio.run(go())

    return run


def run_async(make: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(make())


@pytest.fixture
def wh(warehouse: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(warehouse, row_factory=dict_row, autocommit=True) as conn:
        yield conn


def user_id(conn: psycopg.Connection, email: str) -> str:
    return conn.execute("select user_id from raw.users where email = %s", (email,)).fetchone()["user_id"]


def a_call_of(conn: psycopg.Connection, email: str, offset: int = 0) -> str:
    return conn.execute(
        "select s.call_id from marts.call_scores s join raw.users u on u.user_id = s.rep_user_id "
        "where u.email = %s group by s.call_id order by s.call_id offset %s limit 1",
        (email, offset),
    ).fetchone()["call_id"]
