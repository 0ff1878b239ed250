"""A local Gong v2 API over a corpus: real paging, auth, 404-as-empty, rate limits and injectable faults."""

from __future__ import annotations

import argparse
import asyncio
import base64
import math
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coaching_sandbox.simulators import _gong_data as data
from coaching_sandbox.simulators import _gong_handlers as handlers
from coaching_sandbox.simulators._gong_handlers import GongHttpError
from coaching_sandbox.simulators._server import serve_app

Handler = Callable[["GongSimulator", Request], Awaitable[dict[str, Any]]]


class GongCorpus(Protocol):
    """What the simulator serves; `coaching_sandbox.corpus.generate.generate_corpus` returns this shape."""

    users: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    transcripts: Mapping[str, list[dict[str, Any]]]
    available_at: Mapping[str, datetime]
    transcript_ready_at: Mapping[str, datetime]


@dataclass
class GongFaults:
    """Mutable fault switches; counters are consumed one request at a time."""

    server_errors: int = 0
    server_error_status: int = 500
    rate_limited: int = 0
    retry_after: int | None = 1
    slow_seconds: float = 0.0
    expire_next_cursor: bool = False
    transcripts_delayed: bool = True
    outage_status: int | None = None
    outage_paths: tuple[str, ...] = ()

    def outage(self, path: str) -> int | None:
        """The status every request gets while an outage is on (all paths, or only `outage_paths`), until a
        test sets `outage_status` back to None; 429s carry `retry_after`."""
        if self.outage_status is None or (self.outage_paths and path not in self.outage_paths):
            return None
        return self.outage_status


class LoggedRequest(NamedTuple):
    method: str
    path: str
    status: int


class GongSimulator:
    """Gong's behaviour over a corpus. Tests mutate `faults`, `clock`, `page_size` and `requests_per_second`
    on a running simulator; the corpus itself is read once, here."""

    def __init__(
        self,
        corpus: GongCorpus,
        *,
        access_key: str = "sim-access-key",
        access_key_secret: str = "sim-secret",
        page_size: int = 100,
        transcript_page_size: int = 100,
        requests_per_second: float | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.corpus = corpus
        self.access_key, self.access_key_secret = access_key, access_key_secret
        self.page_size, self.transcript_page_size = page_size, transcript_page_size
        self.requests_per_second = requests_per_second
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.faults = GongFaults()
        self.request_log: list[LoggedRequest] = []
        self.request_times: list[float] = []
        self.in_flight = 0
        self._calls = sorted(
            corpus.calls,
            key=lambda c: (data.parse_instant(c["metaData"]["started"], "started"), c["metaData"]["id"]),
        )
        self._tokens = max(1.0, requests_per_second or 1.0)
        self._refilled = time.monotonic()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"GongSimulator(calls={len(self._calls)}, page_size={self.page_size}, faults={self.faults})"

    def reset(self) -> None:
        """Clear faults and logs between tests that share one running simulator."""
        self.faults = GongFaults()
        self.request_log.clear()
        self.request_times.clear()

    def visible_calls(self) -> list[dict[str, Any]]:
        """Calls Gong would list now: processing makes a call appear some time after it ends."""
        now = self.clock()
        available = self.corpus.available_at or {}
        return [c for c in self._calls if available.get(c["metaData"]["id"], now) <= now]

    def transcript(self, call_id: str) -> list[dict[str, Any]] | None:
        ready_at = (self.corpus.transcript_ready_at or {}).get(call_id)
        if self.faults.transcripts_delayed and ready_at is not None and self.clock() < ready_at:
            return None
        return self.corpus.transcripts.get(call_id)

    def take_token(self) -> float:
        """Seconds until the next request is allowed (0 when allowed now), per a server-side bucket."""
        if not self.requests_per_second:
            return 0.0
        with self._lock:
            now = time.monotonic()
            capacity = max(1.0, self.requests_per_second)
            self._tokens = min(capacity, self._tokens + (now - self._refilled) * self.requests_per_second)
            self._refilled = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.requests_per_second


def create_app(sim: GongSimulator) -> Starlette:
    """The ASGI app; bad credentials get 403 on /v2/users and 401 elsewhere, as Gong answers them."""

    async def unknown_route(request: Request, exc: Exception) -> Response:
        status, detail = (exc.status_code, exc.detail) if isinstance(exc, HTTPException) else (500, "error")
        sim.request_log.append(LoggedRequest(request.method, request.url.path, status))
        error = f"{request.method} {request.url.path}: {detail}"
        return _reply({"requestId": _request_id(), "errors": [error]}, status)

    routes = [
        Route("/v2/users", _endpoint(sim, handlers.users, 403), methods=["GET"]),
        Route("/v2/calls", _endpoint(sim, handlers.calls, 401), methods=["GET"]),
        Route("/v2/calls/extensive", _endpoint(sim, handlers.extensive, 401), methods=["POST"]),
        Route("/v2/calls/transcript", _endpoint(sim, handlers.transcripts, 401), methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: unknown_route})


def _endpoint(sim: GongSimulator, handler: Handler, auth_status: int) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        sim.request_times.append(time.monotonic())
        sim.in_flight += 1
        try:
            response = await _respond(sim, request, handler, auth_status)
        finally:
            sim.in_flight -= 1
        sim.request_log.append(LoggedRequest(request.method, request.url.path, response.status_code))
        return response

    return endpoint


async def _respond(sim: GongSimulator, request: Request, handler: Handler, auth_status: int) -> Response:
    """Faults first (as infrastructure fails before the application), then auth, rate limit, the handler."""
    faults = sim.faults
    try:
        if faults.slow_seconds > 0:
            await asyncio.sleep(faults.slow_seconds)
        down = faults.outage(request.url.path)
        if down == 429:
            after = {} if faults.retry_after is None else {"Retry-After": str(faults.retry_after)}
            raise GongHttpError(429, "API request limit exceeded", headers=after)
        if down is not None:
            raise GongHttpError(down, "Service unavailable")
        if faults.server_errors > 0:
            faults.server_errors -= 1
            raise GongHttpError(faults.server_error_status, "Failed to complete the operation")
        if not _authorized(sim, request):
            raise GongHttpError(auth_status, "Access denied: invalid access key or access key secret")
        if faults.rate_limited > 0:
            faults.rate_limited -= 1
            after = {} if faults.retry_after is None else {"Retry-After": str(faults.retry_after)}
            raise GongHttpError(429, "API request limit exceeded", headers=after)
        wait = sim.take_token()
        if wait > 0:
            after = {"Retry-After": str(max(1, math.ceil(wait)))}
            raise GongHttpError(429, "API request limit exceeded", headers=after)
        body = await handler(sim, request)
    except GongHttpError as exc:
        return _reply({"requestId": _request_id(), "errors": exc.errors}, exc.status, exc.headers)
    except data.BadRequest as exc:
        return _reply({"requestId": _request_id(), "errors": [str(exc)]}, 400)
    return _reply({"requestId": _request_id(), **body}, 200)


def _authorized(sim: GongSimulator, request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        key, _, secret = base64.b64decode(token, validate=True).decode().partition(":")
    except ValueError:
        return False
    return secrets.compare_digest(key, sim.access_key) and secrets.compare_digest(secret, sim.access_key_secret)


def _request_id() -> str:
    return secrets.token_hex(10)[:19]


def _reply(body: dict[str, Any], status: int, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(data.compact(body), status_code=status, headers=dict(headers or {}))


@dataclass(frozen=True)
class RunningGong:
    base_url: str
    sim: GongSimulator


@contextmanager
def serve_gong(corpus: GongCorpus, *, port: int = 0, **kwargs: Any) -> Iterator[RunningGong]:
    """Serve `corpus` on a loopback port (a free one unless given: a test can bring Gong back where it was)
    until the block exits; kwargs go to GongSimulator."""
    sim = GongSimulator(corpus, **kwargs)
    with serve_app(create_app(sim), port=port) as base_url:
        yield RunningGong(base_url, sim)


def main(argv: list[str] | None = None) -> None:
    """Serve the generated sample corpus: python -m coaching_sandbox.simulators.gong --port 8401."""
    import uvicorn

    from coaching_sandbox.corpus.generate import generate_corpus

    parser = argparse.ArgumentParser(description="Local Gong API simulator serving the sample corpus.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8401)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--calls", type=int, default=None, help="Number of calls (the generator's default if unset).")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--requests-per-second", type=float, default=None)
    parser.add_argument("--now", default=None, help="Fix the simulator's clock (ISO-8601), e.g. for replayable demos.")
    args = parser.parse_args(argv)
    corpus = (
        generate_corpus(seed=args.seed) if args.calls is None else generate_corpus(seed=args.seed, calls=args.calls)
    )
    sim = GongSimulator(
        corpus,
        page_size=args.page_size,
        transcript_page_size=args.page_size,
        requests_per_second=args.requests_per_second,
        clock=_fixed_clock(data.parse_instant(args.now, "--now")),
    )
    credentials = f"access key {sim.access_key!r}, secret {sim.access_key_secret!r}"
    print(f"Gong simulator on http://{args.host}:{args.port} ({credentials})")
    uvicorn.run(create_app(sim), host=args.host, port=args.port, log_level="warning")


def _fixed_clock(at: datetime | None) -> Callable[[], datetime] | None:
    """A clock stopped at `at` (demos that replay a fixed day), or None for the wall clock."""
    if at is None:
        return None
    stopped: datetime = at
    return lambda: stopped


if __name__ == "__main__":
    main()
