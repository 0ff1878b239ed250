"""What the run-status sensors do for daemon-launched runs, done by `coaching run` for its in-process runs.

With no daemon running (`coaching run` from cron or a shell), nothing would record the run in
coaching.pipeline_events or post its failure to Slack. The keys are the sensors' own (`<kind>:<run_id>`,
`alert:run_failed:<run_id>`), so a daemon started later that sees the same run adds nothing."""

from __future__ import annotations

import dagster as dg
import psycopg

from coaching_pipeline.alerts.once import AlertOutcome, send_alert_once
from coaching_pipeline.alerts.run_failure import (
    FailedStep,
    RunFailure,
    alert_key,
    cause_message,
    run_failure_payload,
)
from coaching_pipeline.alerts.scrub import configured_secrets
from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.pipeline_events import record_pipeline_event


def failed_steps(result: dg.ExecuteInProcessResult) -> list[FailedStep]:
    return [
        FailedStep(step_key=event.step_key or "?", error=cause_message(event.step_failure_data.error) or "failed")
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    ]


def report_run(result: dg.ExecuteInProcessResult, url: str, partitions: str | None) -> AlertOutcome | None:
    """Record the run as started and succeeded or failed; on failure post the Slack alert once.
    Returns the alert's outcome, None for a successful run."""
    run_id, job = result.run_id, result.job_def.name
    detail = {"job": job, "partitions": partitions, "launched_by": "coaching run"}
    steps = [] if result.success else failed_steps(result)
    with psycopg.connect(url) as conn:
        record_pipeline_event(conn, "run_started", event_key=f"run_started:{run_id}", run_id=run_id, detail=detail)
        kind = "run_succeeded" if result.success else "run_failed"
        step = {"step": steps[0].step_key} if steps else {}
        record_pipeline_event(conn, kind, event_key=f"{kind}:{run_id}", run_id=run_id, detail={**detail, **step})
    if result.success:
        return None
    settings = get_settings()
    failure = RunFailure(run_id=run_id, job_name=job, partitions=partitions, steps=steps)
    payload = run_failure_payload(failure, settings.coaching_dagster_ui_url, configured_secrets(settings))
    return send_alert_once(url, alert_key(run_id), payload, settings.coaching_alert_slack_webhook_url)
