"""Drive the code location from Python: evaluate the Gong sensor and execute runs in process (CLI, demo, tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import dagster as dg
from pydantic import BaseModel

from coaching_pipeline.alerts.run_failure import error_cause
from coaching_pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, range_tags
from coaching_pipeline.ingestion.cursor import PollCursor
from coaching_pipeline.runner import logs
from coaching_pipeline.runner.errors import PipelineRunError
from coaching_pipeline.runner.recovery import release_dead_runs, runner_tags
from coaching_pipeline.runner.run_events import report_run
from coaching_pipeline.settings import BatchMode

SENSOR_NAME = "gong_calls_sensor"
ANALYSIS_OP = "call_analyses"
TRANSCRIPTS_OP = "raw_transcripts"
PIPELINE_JOB = "coaching_job"
REFERENCE_JOB = "reference_data_job"


def evaluate_sensor(
    defs: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None, *, quiet: bool = False
) -> tuple[dg.SensorResult | dg.SkipReason, str | None]:
    """One real tick of gong_calls_sensor with the code location's resources; returns the result and new cursor."""
    sensor = defs.resolve_sensor_def(SENSOR_NAME)
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=defs.resources, definitions=defs)
    with logs.held_back(quiet):
        result = sensor(context)
    new_cursor = result.cursor if isinstance(result, dg.SensorResult) and result.cursor else context.cursor
    return result, new_cursor


class PollSummary(BaseModel):
    ticks: int = 0
    calls: int = 0
    first_day: date | None = None
    last_day: date | None = None
    cursor: str | None = None


def poll_until_caught_up(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    *,
    cursor: str | None = None,
    max_ticks: int = 100,
    on_tick: Callable[[int, dg.SensorResult | dg.SkipReason], None] | None = None,
    quiet: bool = False,
) -> PollSummary:
    """Tick the sensor until a tick requests no run; return the span of days its run requests covered."""
    summary = PollSummary(cursor=cursor)
    polled_at = datetime.now(UTC)
    for tick in range(1, max_ticks + 1):
        result, summary.cursor = evaluate_sensor(defs, instance, summary.cursor, quiet=quiet)
        summary.ticks = tick
        if on_tick:
            on_tick(tick, result)
        requests = (result.run_requests or []) if isinstance(result, dg.SensorResult) else []
        if not requests and (_caught_up(summary.cursor, polled_at) or _backing_off(summary.cursor)):
            break
        for request in requests:
            days = request_days(request)
            summary.calls += int(request.tags.get("coaching/calls", "0"))
            summary.first_day = min(filter(None, [summary.first_day, days[0]]))
            summary.last_day = max(filter(None, [summary.last_day, days[-1]]))
    return summary


def _caught_up(cursor: str | None, polled_at: datetime) -> bool:
    """The sensor lists at most a month per tick; it has caught up once its cursor reaches the poll's start."""
    listed_until = PollCursor.from_json(cursor).listed_until
    return listed_until is not None and listed_until >= polled_at


def _backing_off(cursor: str | None) -> bool:
    """Gong is failing: the sensor's next ticks would only repeat why it waits."""
    return PollCursor.from_json(cursor).backoff is not None


def request_days(request: dg.RunRequest) -> list[date]:
    if request.partition_key:
        return [date.fromisoformat(request.partition_key)]
    start = date.fromisoformat(request.tags[PARTITION_RANGE_START_TAG])
    end = date.fromisoformat(request.tags[PARTITION_RANGE_END_TAG])
    return [start, end]


def run_range(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    first: date,
    last: date,
    *,
    job_name: str = PIPELINE_JOB,
    run_config: dict[str, Any] | None = None,
    quiet: bool = False,
    report_to: str | None = None,
) -> dg.ExecuteInProcessResult:
    """Execute the partitioned pipeline over [first, last] as ONE run (the assets' single-run backfill policy);
    `quiet` keeps the run's console log to warnings and errors. Runs a killed process left unfinished are
    released first (runner/recovery.py), so their pool slots do not block this one. With `report_to` (the
    warehouse URL) the run is recorded in coaching.pipeline_events and a failure alerted, as the run-status
    sensors do under a daemon."""
    job = defs.resolve_job_def(job_name)
    release_dead_runs(instance)
    options: dict[str, Any] = {"instance": instance, "run_config": run_config, "raise_on_error": False}
    with logs.held_back(quiet):
        if first == last:
            result = job.execute_in_process(partition_key=first.isoformat(), tags=runner_tags(), **options)
        else:
            result = job.execute_in_process(tags={**range_tags(first, last), **runner_tags()}, **options)
        if report_to:
            report_run(result, report_to, first.isoformat() if first == last else f"{first}..{last}")
        _raise_if_failed(result)
    return result


def pipeline_run_config(use_batches: BatchMode | None = None, *, refetch: bool = False) -> dict[str, Any] | None:
    """Run config for one run: the analysis assets' Message Batches mode (always, never, auto; None keeps
    COACHING_USE_BATCHES), and whether raw_transcripts asks Gong again for transcripts already stored."""
    ops: dict[str, Any] = {}
    if use_batches is not None:
        ops[ANALYSIS_OP] = {"config": {"use_batches": use_batches.name}}
    if refetch:
        ops[TRANSCRIPTS_OP] = {"config": {"refetch": True}}
    return {"ops": ops} if ops else None


def run_reference_data(
    defs: dg.Definitions, instance: dg.DagsterInstance, *, quiet: bool = False
) -> dg.ExecuteInProcessResult:
    release_dead_runs(instance)
    with logs.held_back(quiet):
        result = defs.resolve_job_def(REFERENCE_JOB).execute_in_process(
            instance=instance, tags=runner_tags(), raise_on_error=False
        )
        _raise_if_failed(result)
    return result


def _raise_if_failed(result: dg.ExecuteInProcessResult) -> None:
    if result.success:
        return
    failed = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    errors = [(e.step_key, error_cause(e.step_failure_data.error)) for e in failed]
    details = "; ".join(f"{step}: {_first_line(error.message) if error else 'failed'}" for step, error in errors)
    if any(error is not None and error.cls_name == "OperationalError" for _, error in errors):
        details += "; the warehouse connection was lost: what was committed is kept, run the same command again"
    raise PipelineRunError(f"run {result.run_id} failed: {details or 'see the Dagster UI'}")


def _first_line(message: str) -> str:
    """Errors (a lost connection's, say) can span lines; the CLI reports each failed step in one line."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else "failed"
