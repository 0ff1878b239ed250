"""Serve an ASGI app with uvicorn on a loopback port in a background thread (tests, bench, demos)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


class ServerStartError(RuntimeError):
    """The background server did not come up in time."""


def _bind(host: str, port: int) -> socket.socket:
    """Bind the socket ourselves so port 0 yields a free port with no race between probing and listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@contextmanager
def serve_app(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    startup_timeout: float = 10.0,
    log_level: str = "warning",
) -> Iterator[str]:
    """Run `app` until the block exits and yield its base URL, e.g. ``http://127.0.0.1:54321``.

    The server runs on its own event loop in a daemon thread, so synchronous clients (httpx, the
    Anthropic SDK) in the calling thread talk to it over real HTTP, exactly as they would in production.
    Port 0 (the default) picks a free port, so parallel test sessions never collide.
    """
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="auto",
        timeout_graceful_shutdown=1,
        timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"asgi-{bound_port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise ServerStartError(f"server on {host}:{bound_port} did not start within {startup_timeout}s")
            time.sleep(0.01)
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
