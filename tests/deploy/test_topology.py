"""The deployment topology for real: `dagster code-server`, `dagster-daemon` and `dagster-webserver` as separate
processes on one Postgres, runs queued by the webserver and launched by the daemon, against the sample Gong
tenant with the offline analyzer. A backfill launched through the GraphQL API must leave the same marts as
`coaching run` for the same days, and the daemon's sensor tick must request a run for the calls it finds."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
import psycopg
import pytest

from coaching_pipeline.definitions import defs
from coaching_pipeline.defs.jobs import coaching_job
from coaching_pipeline.warehouse.db import dagster_storage_url
from tests.conftest import DatabaseFactory
from tests.deploy.topology import BIN, LOCATION, Webserver, free_port, running, wait_for, write_dagster_home

DAYS = ["2026-08-03", "2026-08-04"]
pytestmark = pytest.mark.timeout(900)
# The sensor's first tick would process every sample call it lists; the test holds that run in the queue (a
# run-queue limit of 0 on the sensor's tag) and checks the request, keeping the test within its time budget.
# A second test-only limit runs the reference data and the backfill one after the other.
QUEUE_LIMITS = [
    {"key": "dagster/sensor_name", "value": "gong_calls_sensor", "limit": 0},
    {"key": "coaching/topology-test", "limit": 1},
]
SERIAL = {"coaching/topology-test": "serial"}
# Each run executes its steps in its own process rather than one subprocess per step (the default multiprocess
# executor re-imports the code location for every step, ~30 s each on a busy 2-core machine).
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}
FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


@dataclass
class Deployment:
    reference_status_before_daemon: dg.DagsterRunStatus | None = None
    reference_status: dg.DagsterRunStatus | None = None
    backfill_run: dg.DagsterRun | None = None
    backfill_events: list[dg.DagsterEventType] = field(default_factory=list)
    step_pids: set[int] = field(default_factory=set)
    service_pids: set[int] = field(default_factory=set)
    sensor_tick: dict[str, Any] = field(default_factory=dict)
    sensor_run_status: dg.DagsterRunStatus | None = None
    url: str = ""
    cli_url: str = ""


def _finished(web: Webserver, run_id: str) -> dg.DagsterRunStatus | None:
    status = web.dagster.get_run_status(run_id)
    return status if status in FINISHED else None


def _first(ids: list[str]) -> str | None:
    return ids[0] if ids else None


def _requesting_tick(web: Webserver) -> dict[str, Any] | None:
    ticks = web.sensor()["sensorState"]["ticks"]
    return next((t for t in ticks if t["runIds"]), None)


@pytest.fixture(scope="module")
def deployment(
    database_factory: DatabaseFactory, sample_gong: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    result = Deployment(url=database_factory.create("topology"), cli_url=database_factory.create("topology_cli"))
    home = tmp_path_factory.mktemp("dagster-home")
    grpc_port, web_port = free_port(), free_port()
    write_dagster_home(home, grpc_port, QUEUE_LIMITS)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "COACHING_DAGSTER_"))}
    env = {**base, **sample_gong, "DATABASE_URL": result.url, "DAGSTER_HOME": str(home)}
    env["COACHING_DAGSTER_PG_URL"] = dagster_storage_url(result.url)
    cli = subprocess.Popen(
        [sys.executable, "-m", "coaching_pipeline.cli", "run", "--from", DAYS[0], "--to", DAYS[-1], "--no-poll"],
        env={**base, **sample_gong, "DATABASE_URL": result.cli_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    with running(home, env) as topology, pytest.MonkeyPatch.context() as patch:
        patch.setenv("COACHING_DAGSTER_PG_URL", env["COACHING_DAGSTER_PG_URL"])

        def logs() -> str:
            return "\n".join(f"--- {name}\n{topology.log(name)}" for name in topology.processes)

        topology.start(
            "code-server",
            *(str(BIN / "dagster"), "code-server", "start", "-m", "coaching_pipeline.definitions"),
            *("-h", "127.0.0.1", "-p", str(grpc_port), "--location-name", LOCATION),
        )
        topology.start("webserver", str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(web_port))
        web = Webserver(web_port)
        wait_for("the webserver", web.is_up, 300, logs)
        wait_for("the code location", web.location_loaded, 300, logs)
        assert web.stop_sensor() == "STOPPED"

        # Both runs wait in the queue until the daemon starts; the serial tag makes the backfill's run wait
        # for the reference data its dbt step needs (the queue launches runs in the order they arrived).
        reference_run = web.dagster.submit_job_execution(
            "reference_data_job", repository_location_name=LOCATION, run_config=IN_PROCESS, tags=SERIAL
        )
        keys = coaching_job.selection.resolve(defs.resolve_asset_graph())
        backfill_id = web.launch_asset_backfill([k.path for k in sorted(keys)], DAYS, IN_PROCESS, SERIAL)
        result.reference_status_before_daemon = web.dagster.get_run_status(reference_run)
        topology.start("daemon", str(BIN / "dagster-daemon"), "run")
        with dg.DagsterInstance.from_config(str(home)) as instance:
            runs_filter = dg.RunsFilter(tags={"dagster/backfill": backfill_id})
            run_id = wait_for("the backfill's run", lambda: _first(instance.get_run_ids(runs_filter)), 180, logs)
            wait_for("the backfill's run to finish", lambda: _finished(web, run_id), 420, logs)
            result.reference_status = web.dagster.get_run_status(reference_run)
            result.backfill_run = instance.get_run_by_id(run_id)
            events = [e.dagster_event for e in instance.all_logs(run_id) if e.dagster_event]
            result.backfill_events = [event.event_type for event in events]
            result.step_pids = {event.pid for event in events if event.is_step_event and event.pid is not None}
            result.service_pids = topology.pids() | {os.getpid()}

            assert web.start_sensor() == "RUNNING"
            result.sensor_tick = wait_for("a sensor tick that requests a run", lambda: _requesting_tick(web), 120, logs)
            result.sensor_run_status = web.dagster.get_run_status(result.sensor_tick["runIds"][0])
    output, _ = cli.communicate(timeout=600)
    assert cli.returncode == 0, output.decode(errors="replace")[-3000:]
    yield result


def _marts(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every mart's rows, sorted, without the timestamps a build stamps on them (when a row was analysed or
    built differs between two builds of the same data). `pipeline_health` counts the runs themselves, which
    differ by design between a daemon's backfill and a `coaching run`."""
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            """
            select table_name, string_agg(format('%I::text', column_name), ', ' order by ordinal_position)
            from information_schema.columns
            where table_schema = 'marts' and data_type not like 'timestamp%' and table_name <> 'pipeline_health'
            group by table_name order by table_name
            """
        ).fetchall()
        return {
            table: sorted(conn.execute(f"select {cols} from marts.{table}").fetchall(), key=repr)  # noqa: S608
            for table, cols in columns
        }


def test_topology_runs_wait_in_the_queue_until_the_daemon_launches_them(deployment: Deployment) -> None:
    assert deployment.reference_status_before_daemon == dg.DagsterRunStatus.QUEUED
    assert deployment.reference_status == dg.DagsterRunStatus.SUCCESS
    events = deployment.backfill_events
    queued, launched = events.index(dg.DagsterEventType.RUN_ENQUEUED), events.index(dg.DagsterEventType.RUN_STARTING)
    assert queued < launched < events.index(dg.DagsterEventType.RUN_START)


def test_topology_backfill_is_one_run_over_the_range_that_succeeds(deployment: Deployment) -> None:
    run = deployment.backfill_run
    assert run is not None and run.status == dg.DagsterRunStatus.SUCCESS
    assert run.tags["dagster/asset_partition_range_start"] == DAYS[0]
    assert run.tags["dagster/asset_partition_range_end"] == DAYS[-1]


def test_topology_backfill_runs_in_a_process_of_its_own(deployment: Deployment) -> None:
    assert len(deployment.step_pids) == 1
    assert deployment.step_pids.isdisjoint(deployment.service_pids)


def test_topology_backfill_leaves_the_marts_coaching_run_builds(deployment: Deployment) -> None:
    deployed, cli = _marts(deployment.url), _marts(deployment.cli_url)
    assert deployed["call_scores"], "the backfill built no call scores"
    assert deployed == cli


def test_topology_daemon_sensor_tick_requests_a_run_for_new_calls(deployment: Deployment) -> None:
    tick = deployment.sensor_tick
    assert tick["status"] == "SUCCESS"
    assert deployment.sensor_run_status == dg.DagsterRunStatus.QUEUED
