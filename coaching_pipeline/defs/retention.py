"""Retention: the daily purge of transcript text past COACHING_TRANSCRIPT_RETENTION_DAYS, audited."""

from datetime import datetime

import dagster as dg

from coaching_pipeline.defs.resources import WarehouseResource
from coaching_pipeline.retention.purge import purge_expired
from coaching_pipeline.settings import get_settings


def _triggered_by(context: dg.AssetExecutionContext) -> str:
    """What launched the run, for the audit row: its schedule or sensor, else a manual launch."""
    tags = context.run.tags
    for tag, kind in (("dagster/schedule_name", "schedule"), ("dagster/sensor_name", "sensor")):
        if tags.get(tag):
            return f"dagster {kind} {tags[tag]}"
    return "dagster manual run"


@dg.asset(group_name="retention", kinds={"postgres"})
def retention_purges(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The audit of purges (coaching.retention_purges); each materialization purges transcripts, chunks, raw
    payloads (and, unless COACHING_RETENTION_KEEP_EVIDENCE, evidence quotes) of calls past the window."""
    settings = get_settings()
    report = purge_expired(
        warehouse.url(),
        today=datetime.now(settings.timezone).date(),
        retention_days=settings.coaching_transcript_retention_days,
        keep_evidence=settings.coaching_retention_keep_evidence,
        tz=settings.timezone,
        triggered_by=_triggered_by(context),
        run_id=context.run.run_id,
    )
    return dg.MaterializeResult(
        metadata={
            "purge_id": report.purge_id,
            "cutoff_date": report.cutoff_date.isoformat(),
            "retention_days": report.retention_days,
            "kept_evidence": report.kept_evidence,
            "rows_affected": dg.MetadataValue.json(report.rows_affected),
            "rows_total": report.total,
        }
    )


retention_job = dg.define_asset_job(
    "retention_job",
    selection=dg.AssetSelection.assets(retention_purges),
    description="Purge transcript text older than the retention window; scores, criteria and marts stay.",
)

retention_schedule = dg.ScheduleDefinition(
    name="retention_schedule",
    job=retention_job,
    cron_schedule="30 4 * * *",
    execution_timezone=get_settings().coaching_timezone,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
