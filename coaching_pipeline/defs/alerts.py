"""Run-status sensors (the pipeline_events log, a Slack alert per failed run) and the daily budget check."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import dagster as dg
import psycopg

from coaching_pipeline.alerts.budget import budget_alert_key, budget_verdict, day_spend, over_budget_payload
from coaching_pipeline.alerts.once import send_alert_once
from coaching_pipeline.alerts.run_failure import (
    FailedStep,
    RunFailure,
    alert_key,
    cause_message,
    run_failure_payload,
)
from coaching_pipeline.alerts.scrub import configured_secrets
from coaching_pipeline.defs.resources import AlertsResource, WarehouseResource
from coaching_pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.pipeline_events import PipelineEventKind, record_pipeline_event

LLM_DAILY_COSTS = dg.AssetKey(["marts", "llm_daily_costs"])


def run_partitions(run: dg.DagsterRun) -> str | None:
    """`2026-08-03`, `2026-08-03..2026-08-09` (a single-run backfill) or None, from Dagster's run tags."""
    if run.tags.get(PARTITION_RANGE_START_TAG):
        return f"{run.tags[PARTITION_RANGE_START_TAG]}..{run.tags.get(PARTITION_RANGE_END_TAG, '')}"
    return run.tags.get("dagster/partition")


def record_run_event(
    context: dg.RunStatusSensorContext, url: str, kind: PipelineEventKind, detail: dict[str, object]
) -> bool:
    """One `kind` event per run (event_key `<kind>:<run_id>`), at the time Dagster recorded it."""
    run = context.dagster_run
    record = context.instance.get_run_record_by_id(run.run_id)
    stamp = (record.end_time if kind != "run_started" else record.start_time) if record else None
    with psycopg.connect(url) as conn:
        return record_pipeline_event(
            conn,
            kind,
            event_key=f"{kind}:{run.run_id}",
            occurred_at=datetime.fromtimestamp(stamp, UTC) if stamp else None,
            run_id=run.run_id,
            detail={"job": run.job_name, "partitions": run_partitions(run), **detail},
        )


def run_failure(context: dg.RunFailureSensorContext) -> RunFailure:
    run = context.dagster_run
    steps = [
        FailedStep(
            step_key=event.step_key or "?", error=cause_message(getattr(event.event_specific_data, "error", None))
        )
        for event in context.get_step_failure_events()
    ]
    return RunFailure(
        run_id=run.run_id,
        job_name=run.job_name,
        partitions=run_partitions(run),
        steps=steps,
        run_error=context.failure_event.message or "",
    )


@dg.run_failure_sensor(
    name="run_failure_alert_sensor",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each failed run in coaching.pipeline_events and posts it to Slack once.",
)
def run_failure_alert_sensor(
    context: dg.RunFailureSensorContext, warehouse: WarehouseResource, alerts: AlertsResource
) -> None:
    url = warehouse.url()
    failure = run_failure(context)
    first_step = failure.steps[0].step_key if failure.steps else None
    record_run_event(context, url, "run_failed", {"step": first_step})
    payload = run_failure_payload(failure, alerts.dagster_ui_url, configured_secrets(get_settings()))
    outcome = send_alert_once(url, alert_key(failure.run_id), payload, alerts.webhook())
    context.log.info(f"run {failure.run_id} failed ({failure.job_name}); Slack alert: {outcome}")


@dg.run_status_sensor(
    name="run_started_sensor",
    run_status=dg.DagsterRunStatus.STARTED,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each started run in coaching.pipeline_events (marts.pipeline_health counts them).",
)
def run_started_sensor(context: dg.RunStatusSensorContext, warehouse: WarehouseResource) -> None:
    record_run_event(context, warehouse.url(), "run_started", {})


@dg.run_status_sensor(
    name="run_succeeded_sensor",
    run_status=dg.DagsterRunStatus.SUCCESS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each successful run in coaching.pipeline_events (marts.pipeline_health counts them).",
)
def run_succeeded_sensor(context: dg.RunStatusSensorContext, warehouse: WarehouseResource) -> None:
    record_run_event(context, warehouse.url(), "run_succeeded", {})


run_status_sensors = [run_failure_alert_sensor, run_started_sensor, run_succeeded_sensor]


@dg.asset_check(
    asset=LLM_DAILY_COSTS,
    name="daily_spend_within_budget",
    description="Today's Claude spend against COACHING_DAILY_BUDGET_USD: WARN from 80%, ERROR and a Slack "
    "alert (once a day) over it.",
)
def daily_spend_within_budget(warehouse: WarehouseResource, alerts: AlertsResource) -> dg.AssetCheckResult:
    url = warehouse.url()
    settings = get_settings()
    today = datetime.now(settings.timezone).date()
    verdict = budget_verdict(today, day_spend(url, today, settings.timezone), Decimal(str(alerts.daily_budget_usd)))
    alert = "not needed"
    if verdict.level == "over":
        alert = send_alert_once(url, budget_alert_key(today), over_budget_payload(verdict), alerts.webhook())
    return dg.AssetCheckResult(
        passed=verdict.level == "ok",
        severity=dg.AssetCheckSeverity.ERROR if verdict.level == "over" else dg.AssetCheckSeverity.WARN,
        description=verdict.description,
        metadata={
            "spend_usd": float(verdict.spend_usd),
            "budget_usd": float(verdict.budget_usd),
            "day": today.isoformat(),
            "slack_alert": alert,
        },
    )
