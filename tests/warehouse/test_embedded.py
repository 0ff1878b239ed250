"""The embedded PostgreSQL: a BI tool reaches it over TCP through `coaching db expose`, and it stops."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from coaching_pipeline.warehouse.db import embedded_url
from coaching_pipeline.warehouse.embedded import bridge_tcp_to_socket, socket_path, stop_embedded


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    """A COACHING_HOME of its own, outside pytest's private temporary folder: as root, the embedded server runs
    as a `pgserver` user that must reach its data directory (tests/conftest.py does the same)."""
    folder = Path(tempfile.mkdtemp(prefix="coaching-embedded-"))
    folder.chmod(0o755)
    yield folder
    stop_embedded(folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_embedded_server_is_reached_over_tcp_through_the_bridge(home: Path) -> None:
    url = embedded_url(home)
    ready: list[int] = []
    loop = asyncio.new_event_loop()
    task = loop.create_task(bridge_tcp_to_socket(socket_path(url), "127.0.0.1", 0, on_ready=ready.append))
    thread = threading.Thread(target=lambda: loop.run_until_complete(asyncio.wait([task])), daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if ready:
                break
            threading.Event().wait(0.05)
        with psycopg.connect(host="127.0.0.1", port=ready[0], user="postgres", dbname="coaching") as conn:
            assert conn.execute("select current_database(), inet_server_addr() is null").fetchone() == (
                "coaching",
                True,
            )
    finally:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=5)


def test_stop_embedded_stops_the_server_once(home: Path) -> None:
    url = embedded_url(home)
    assert stop_embedded(home) is True
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=3).close()
    assert stop_embedded(home) is False


def test_socket_path_refuses_a_tcp_url() -> None:
    with pytest.raises(ValueError, match="not a Unix-socket URL"):
        socket_path("postgresql://postgres@127.0.0.1:5432/coaching")
