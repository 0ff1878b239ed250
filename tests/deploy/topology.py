"""The deployment's processes on this machine: a code server, the daemon and the webserver as separate
subprocesses on one Dagster home, and the GraphQL calls the topology test makes to the webserver."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import requests
import yaml
from dagster_graphql import DagsterGraphQLClient
from gql import Client, GraphQLRequest
from gql.transport.requests import RequestsHTTPTransport

from coaching_pipeline.runner.environment import REPO_ROOT

LOCATION = "coaching_pipeline"
REPOSITORY = "__repository__"
SENSOR = "gong_calls_sensor"
BIN = Path(sys.executable).parent
T = TypeVar("T")

LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}"""

SENSOR_STATE = """
query($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor {
      id
      sensorState { status ticks(limit: 10) { status runIds skipReason error { message } } }
    }
  }
}"""

STOP_SENSOR = """
mutation($id: String!) {
  stopSensor(id: $id) { __typename ... on StopSensorMutationResult { instigationState { status } } }
}"""

START_SENSOR = """
mutation($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) { __typename ... on Sensor { sensorState { status } } }
}"""

LOCATION_STATUS = """
query { workspaceOrError { ... on Workspace { locationEntries { name locationOrLoadError { __typename } } } } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_dagster_home(home: Path, grpc_port: int, extra_limits: list[dict[str, Any]]) -> None:
    """deploy/dagster.yaml with the default run launcher (runs as local subprocesses instead of containers),
    plus the test's own run-queue limits."""
    config = yaml.safe_load((REPO_ROOT / "deploy" / "dagster.yaml").read_text())
    config.pop("run_launcher")
    config["concurrency"]["runs"]["tag_concurrency_limits"].extend(extra_limits)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    workspace = {"load_from": [{"grpc_server": {"host": "127.0.0.1", "port": grpc_port, "location_name": LOCATION}}]}
    (home / "workspace.yaml").write_text(yaml.safe_dump(workspace))


class Topology:
    """Starts and stops the deployment's processes; each runs in its own session so that stopping it also
    stops what it spawned (the code server's gRPC child and the runs it launched)."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home, self.env = home, env
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.home / f"{name}.log").open("wb")
        process = subprocess.Popen(
            args, env=self.env, cwd=self.home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.home / f"{name}.log").read_text(errors="replace")[-4000:]

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def pids(self) -> set[int]:
        return {process.pid for process in self.processes.values()}


@contextmanager
def running(home: Path, env: dict[str, str]) -> Iterator[Topology]:
    topology = Topology(home, env)
    try:
        yield topology
    finally:
        topology.stop_all()


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, diagnostics: Callable[[], str]) -> T:
    """Poll `probe` until it returns something other than None; fail with the processes' logs otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value is not None:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}\n{diagnostics()}")


class Webserver:
    """Dagster's GraphQL client for runs, and a gql client on the same endpoint for what it has no method
    for (backfills, sensors): both are the webserver's public GraphQL API."""

    def __init__(self, port: int) -> None:
        self.port = port
        url = f"http://127.0.0.1:{port}/graphql"
        self.dagster = DagsterGraphQLClient("127.0.0.1", port_number=port, transport=RequestsHTTPTransport(url=url))
        self.gql = Client(transport=RequestsHTTPTransport(url=url, timeout=60))

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.gql.execute(GraphQLRequest(query, variable_values=variables))

    def is_up(self) -> bool | None:
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/server_info", timeout=5).ok or None
        except requests.ConnectionError:
            return None

    def location_loaded(self) -> bool | None:
        """Whether the webserver has loaded the code location. It refreshes on its own once the gRPC server
        answers; a reload here would restart the code server instead."""
        entries = self.execute(LOCATION_STATUS)["workspaceOrError"]["locationEntries"]
        loaded = any(
            e["name"] == LOCATION and e["locationOrLoadError"]["__typename"] == "RepositoryLocation" for e in entries
        )
        return loaded or None

    def sensor(self) -> dict[str, Any]:
        selector = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "sensorName": SENSOR}
        return self.execute(SENSOR_STATE, {"selector": selector})["sensorOrError"]

    def stop_sensor(self) -> str:
        result = self.execute(STOP_SENSOR, {"id": self.sensor()["id"]})["stopSensor"]
        return str(result["instigationState"]["status"])

    def start_sensor(self) -> str:
        selector = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "sensorName": SENSOR}
        return str(self.execute(START_SENSOR, {"selector": selector})["startSensor"]["sensorState"]["status"])

    def launch_asset_backfill(
        self, asset_paths: list[list[str]], partitions: list[str], run_config: dict[str, Any], tags: dict[str, str]
    ) -> str:
        """An asset backfill, which honours the assets' single-run backfill policy (a job's partition-set
        backfill would launch one run per day)."""
        params = {
            "assetSelection": [{"path": p} for p in asset_paths],
            "partitionNames": partitions,
            "runConfigData": run_config,
            "tags": [{"key": key, "value": value} for key, value in tags.items()],
        }
        result = self.execute(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
        assert result["__typename"] == "LaunchBackfillSuccess", result
        return str(result["backfillId"])
