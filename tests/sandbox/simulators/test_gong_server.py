"""serve_app runs an ASGI app on a free loopback port for the length of a with-block."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from coaching_sandbox.simulators._server import serve_app


async def _hello(request: Request) -> JSONResponse:
    return JSONResponse({"hello": "world"})


APP = Starlette(routes=[Route("/", _hello)])


def test_serve_app_serves_on_a_loopback_port() -> None:
    with serve_app(APP) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        assert httpx.get(base_url).json() == {"hello": "world"}


def test_serve_app_stops_when_the_block_exits() -> None:
    with serve_app(APP) as base_url:
        pass

    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url, timeout=1)


def test_serve_app_runs_servers_side_by_side() -> None:
    with serve_app(APP) as first, serve_app(APP) as second:
        assert first != second
        assert httpx.get(second).status_code == 200
