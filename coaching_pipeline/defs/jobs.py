"""Jobs and schedules: the partitioned pipeline the sensor launches, and the daily Gong user sync."""

from __future__ import annotations

import dagster as dg

from coaching_pipeline.defs.dbt import coaching_dbt_assets, coaching_dbt_reference_assets
from coaching_pipeline.defs.freshness import mart_freshness_checks
from coaching_pipeline.defs.ingest import gong_users, raw_transcripts
from coaching_pipeline.defs.knowledge import coaching_rubrics

FRESHNESS_CHECKS = dg.AssetSelection.checks(*mart_freshness_checks)

coaching_job = dg.define_asset_job(
    "coaching_job",
    # Every partitioned dbt model, not only those downstream of raw_transcripts (the cost marts read the
    # ledger the analyses write). The reference marts belong to reference_data_job.
    # The weekly reviews, downstream of the marts, have their own weekly job and schedule; the marts' freshness
    # checks run from mart_freshness_sensor, not as a step of every run.
    selection=(dg.AssetSelection.assets(raw_transcripts).downstream() | dg.AssetSelection.assets(coaching_dbt_assets))
    - dg.AssetSelection.groups("reviews")
    - FRESHNESS_CHECKS,
    description="Transcripts -> chunks and stats -> analyses per dimension -> dbt marts, for the partitions given.",
)

reference_data_job = dg.define_asset_job(
    "reference_data_job",
    selection=dg.AssetSelection.assets(gong_users, coaching_rubrics, coaching_dbt_reference_assets) - FRESHNESS_CHECKS,
    description="Gong users (roles, teams), the rubrics and knowledge base, and the marts built from them alone.",
)

reference_data_schedule = dg.ScheduleDefinition(
    name="reference_data_schedule",
    job=reference_data_job,
    cron_schedule="0 5 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
