"""Runs whose `coaching run` process died (killed, out of memory, machine restarted) before they ended.

Such a run stays STARTED in Dagster's storage and keeps the pool slots its steps claimed. The dbt pool has one
slot (dagster.yaml), so every later run's dbt step would wait for it forever. The Dagster daemon frees the slots
of runs it monitors; in-process runs have no daemon, so each run driven from Python carries its host and pid,
and the next one marks the runs of dead processes on this host as failed and frees their slots.
"""

from __future__ import annotations

import logging
import os
import socket

import dagster as dg

HOST_TAG = "coaching/runner_host"
PID_TAG = "coaching/runner_pid"
UNFINISHED = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]

log = logging.getLogger(__name__)


def runner_tags() -> dict[str, str]:
    """Tags naming the process that executes a run in process."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the unfinished runs started on this host by processes that no longer exist, free their
    concurrency slots, and return their run ids. A live process (even one that reused the pid) is left alone."""
    filters = dg.RunsFilter(statuses=UNFINISHED, tags={HOST_TAG: socket.gethostname()})
    released = []
    for record in instance.get_run_records(filters=filters):
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid <= 0 or pid == os.getpid() or process_alive(pid):
            continue
        instance.report_run_failed(run, f"the process that ran it (pid {pid}) ended before the run did")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        log.warning("run %s: its process (pid %s) died; marked failed and its pool slots freed", run.run_id, pid)
        released.append(run.run_id)
    return released
