"""The Dagster code location: composes assets, checks, jobs, sensors and resources; nothing else."""

import dagster as dg

from coaching_pipeline.defs import (
    alerts,
    analysis,
    dbt,
    freshness,
    ingest,
    jobs,
    knowledge,
    retention,
    reviews,
    sensors,
)
from coaching_pipeline.defs.resources import build_resources

defs = dg.Definitions(
    assets=[
        ingest.gong_users,
        ingest.raw_transcripts,
        ingest.chunked_transcripts,
        ingest.call_interaction_stats,
        knowledge.coaching_rubrics,
        analysis.call_analyses,
        dbt.coaching_dbt_reference_assets,
        dbt.coaching_dbt_assets,
        *dbt.external_asset_specs,
        reviews.weekly_reviews,
        retention.retention_purges,
    ],
    asset_checks=[
        ingest.every_call_has_transcript_or_reason,
        ingest.chunks_rebuild_transcripts,
        *analysis.analysis_checks,
        alerts.daily_spend_within_budget,
        *freshness.mart_freshness_checks,
    ],
    jobs=[jobs.coaching_job, jobs.reference_data_job, reviews.weekly_reviews_job, retention.retention_job],
    schedules=[jobs.reference_data_schedule, reviews.build_weekly_reviews_schedule(), retention.retention_schedule],
    sensors=[
        sensors.build_gong_calls_sensor(jobs.coaching_job),
        *alerts.run_status_sensors,
        freshness.mart_freshness_sensor,
    ],
    resources={**build_resources(), "dbt": dbt.dbt_resource()},
)
