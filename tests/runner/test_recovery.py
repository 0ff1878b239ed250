"""Runs left unfinished by a killed `coaching run` are released by the next one, and no others."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import dagster as dg

from coaching_pipeline.runner.recovery import PID_TAG, release_dead_runs, runner_tags


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _started_run(instance: dg.DagsterInstance, pid: int) -> str:
    run_id = uuid.uuid4().hex
    tags = {**runner_tags(), PID_TAG: str(pid)}
    instance.add_run(
        dg.DagsterRun(job_name="coaching_job", run_id=run_id, status=dg.DagsterRunStatus.STARTED, tags=tags)
    )
    return run_id


def test_release_dead_runs_fails_the_runs_of_dead_processes_only() -> None:
    with dg.instance_for_test() as instance:
        dead = _started_run(instance, _dead_pid())
        alive = _started_run(instance, os.getppid())

        assert release_dead_runs(instance) == [dead]
        assert release_dead_runs(instance) == []

        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive).status == dg.DagsterRunStatus.STARTED
