"""Jobs and schedules: the partitioned pipeline the sensor launches, and the daily Gong user sync."""

from __future__ import annotations

import dagster as dg

from coaching_pipeline.defs.ingest import gong_users, raw_transcripts
from coaching_pipeline.defs.knowledge import coaching_rubrics

coaching_job = dg.define_asset_job(
    "coaching_job",
    # Every dbt model, not only those downstream of raw_transcripts: staging views over the other sources
    # (users, rubrics, the cost ledger) must exist before the marts that join them.
    selection=dg.AssetSelection.assets(raw_transcripts).downstream() | dg.AssetSelection.groups("marts"),
    description="Transcripts -> chunks and stats -> analyses per dimension -> dbt marts, for the partitions given.",
)

reference_data_job = dg.define_asset_job(
    "reference_data_job",
    selection=dg.AssetSelection.assets(gong_users, coaching_rubrics),
    description="Gong users (roles, teams) and the rubrics and knowledge base.",
)

reference_data_schedule = dg.ScheduleDefinition(
    name="reference_data_schedule",
    job=reference_data_job,
    cron_schedule="0 5 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
