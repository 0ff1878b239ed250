"""The run-status sensors record runs in coaching.pipeline_events and post one Slack alert per failed run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from coaching_pipeline.defs.alerts import run_failure_alert_sensor, run_started_sensor, run_succeeded_sensor
from coaching_pipeline.defs.resources import AlertsResource, WarehouseResource, build_resources
from coaching_pipeline.settings import get_settings
from tests.reviews.servers import LocalSlack

UI = "http://dagster.example.test"
LEAKY_ERROR = "Gong refused postgresql://coach:hunter2-secret@db.internal/coaching"


@dg.op
def fetch_transcripts() -> None:
    raise RuntimeError(LEAKY_ERROR)


@dg.job
def failing_job() -> None:
    fetch_transcripts()


@dg.op
def nothing_wrong() -> int:
    return 1


@dg.job
def succeeding_job() -> None:
    nothing_wrong()


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack.running() as server:
        yield server


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _resources(url: str, slack: LocalSlack) -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(database_url=url),
        "alerts": AlertsResource(slack_webhook_url=slack.url, dagster_ui_url=UI),
    }


def _failure_context(
    instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult, url: str, slack: LocalSlack
) -> dg.RunFailureSensorContext:
    return dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert_sensor",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
        resources=_resources(url, slack),
    ).for_run_failure()


def _events(url: str, run_id: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select kind, event_key from coaching.pipeline_events where run_id = %s or event_key like %s order by 1",
            (run_id, f"%{run_id}%"),
        )
        return [(kind, key) for kind, key in rows]


def test_run_failure_alert_sensor_posts_once_per_failed_run(
    isolated_database_url: str, slack: LocalSlack, instance: dg.DagsterInstance
) -> None:
    result = failing_job.execute_in_process(
        instance=instance, raise_on_error=False, tags={"dagster/partition": "2026-09-01"}
    )
    assert not result.success
    context = _failure_context(instance, result, isolated_database_url, slack)

    run_failure_alert_sensor(context)
    run_failure_alert_sensor(context)

    run_id = result.run_id
    assert slack.requests == 1
    text = slack.payloads[0]["text"] + str(slack.payloads[0]["blocks"])
    assert "failing_job" in text and "2026-09-01" in text and "fetch_transcripts" in text
    assert "RuntimeError" in text or "Gong refused" in text
    assert f"{UI}/runs/{run_id}" in text
    assert "hunter2" not in text
    assert _events(isolated_database_url, run_id) == [
        ("alert_sent", f"alert:run_failed:{run_id}"),
        ("run_failed", f"run_failed:{run_id}"),
    ]


def test_run_status_sensors_record_a_successful_run_without_alerting(
    isolated_database_url: str, slack: LocalSlack, instance: dg.DagsterInstance
) -> None:
    result = succeeding_job.execute_in_process(instance=instance)
    resources = _resources(isolated_database_url, slack)
    started = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_START)
    for sensor, event in ((run_started_sensor, started), (run_succeeded_sensor, result.get_run_success_event())):
        context = dg.build_run_status_sensor_context(
            sensor_name=sensor.name,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=event,
            resources=resources,
        )
        sensor(context)
        sensor(context)

    assert slack.requests == 0
    assert _events(isolated_database_url, result.run_id) == [
        ("run_started", f"run_started:{result.run_id}"),
        ("run_succeeded", f"run_succeeded:{result.run_id}"),
    ]


def test_alerts_resource_reads_a_webhook_file_at_run_time_not_into_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "alert-webhook"
    path.write_text("https://hooks.slack.example/services/T1/B2/from-file\n")
    monkeypatch.setenv("COACHING_ALERT_SLACK_WEBHOOK_URL_FILE", str(path))
    get_settings.cache_clear()
    try:
        alerts = build_resources()["alerts"]
        assert alerts.slack_webhook_url is None
        webhook = alerts.webhook()
        assert webhook is not None and webhook.get_secret_value().endswith("/from-file")
    finally:
        monkeypatch.delenv("COACHING_ALERT_SLACK_WEBHOOK_URL_FILE")
        get_settings.cache_clear()


def test_report_run_alerts_an_in_process_failure_once_with_the_sensors_keys(
    isolated_database_url: str, slack: LocalSlack, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`coaching run` has no daemon: it reports its own run, and a daemon's sensor seeing it later adds nothing."""
    from coaching_pipeline.runner.run_events import report_run

    monkeypatch.setenv("COACHING_ALERT_SLACK_WEBHOOK_URL", slack.url)
    monkeypatch.setenv("COACHING_DAGSTER_UI_URL", UI)
    get_settings.cache_clear()
    result = failing_job.execute_in_process(instance=instance, raise_on_error=False)
    try:
        assert report_run(result, isolated_database_url, "2026-09-01") == "sent"
        assert report_run(result, isolated_database_url, "2026-09-01") == "already_sent"
        context = _failure_context(instance, result, isolated_database_url, slack)
        run_failure_alert_sensor(context)
    finally:
        get_settings.cache_clear()
    run_id = result.run_id
    assert slack.requests == 1
    assert "fetch_transcripts" in slack.payloads[0]["text"] and "hunter2" not in slack.payloads[0]["text"]
    assert _events(isolated_database_url, run_id) == [
        ("alert_sent", f"alert:run_failed:{run_id}"),
        ("run_failed", f"run_failed:{run_id}"),
        ("run_started", f"run_started:{run_id}"),
    ]
