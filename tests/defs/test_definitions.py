"""The code location loads and exposes exactly the assets, checks, jobs, schedules and sensors we expect."""

from __future__ import annotations

import dagster as dg

from coaching_pipeline.definitions import defs
from coaching_pipeline.defs import jobs

EXPECTED_ASSETS = {
    "gong_users",
    "raw_transcripts",
    "chunked_transcripts",
    "call_interaction_stats",
    "coaching_rubrics",
    "discovery_analyses",
    "product_knowledge_analyses",
    "objection_handling_analyses",
    "engagement_analyses",
    "llm_cost_ledger",
    "marts/call_scores",
    "marts/rep_weekly_trends",
    "marts/team_weekly_scores",
    "marts/rep_benchmarks",
    "marts/rep_coaching_focus",
    "marts/llm_daily_costs",
    "marts/reps",
    "marts/call_interaction_stats",
    "marts/call_criterion_scores",
    "weekly_reviews",
    "marts/rep_daily_coverage",
    "retention_purges",
    "marts/pipeline_health",
    "pipeline_event_log",
}


def _keys() -> set[str]:
    return {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}


def test_definitions_expose_the_expected_assets() -> None:
    assert _keys() >= EXPECTED_ASSETS


def test_definitions_expose_the_expected_checks() -> None:
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {
        "every_call_has_transcript_or_reason",
        "chunks_rebuild_transcripts",
        "scores_in_range_and_evidence_verified",
        "every_review_delivered",
        "rep_daily_coverage_counts_add_up",
        "daily_spend_within_budget",
    } <= checks


def test_definitions_check_every_mart_for_freshness() -> None:
    graph = defs.resolve_asset_graph()
    marts = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    fresh = {key.asset_key for key in graph.asset_check_keys if key.name == "freshness_check"}
    assert fresh == marts
    assert defs.resolve_sensor_def("mart_freshness_sensor").default_status == dg.DefaultSensorStatus.RUNNING


def test_partition_runs_check_the_budget_but_leave_freshness_to_its_sensor() -> None:
    graph = defs.resolve_asset_graph()
    in_job = {key.name for key in jobs.coaching_job.selection.resolve_checks(graph)}
    assert "daily_spend_within_budget" in in_job
    assert "freshness_check" not in in_job


def test_definitions_expose_jobs_sensor_and_schedule() -> None:
    assert {j.name for j in defs.resolve_all_job_defs()} >= {
        "coaching_job",
        "reference_data_job",
        "weekly_reviews_job",
        "retention_job",
    }
    assert defs.resolve_sensor_def("gong_calls_sensor").job_name == "coaching_job"
    for name in ("run_failure_alert_sensor", "run_started_sensor", "run_succeeded_sensor"):
        assert defs.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_schedule_def("reference_data_schedule").cron_schedule == "0 5 * * *"
    assert defs.resolve_schedule_def("retention_schedule").job_name == "retention_job"


def test_definitions_schedule_weekly_reviews_on_monday_morning() -> None:
    schedule = defs.resolve_schedule_def("weekly_reviews_schedule")
    assert schedule.job_name == "weekly_reviews_job"
    assert schedule.cron_schedule == "0 7 * * 1"
    assert schedule.execution_timezone == "UTC"


def test_weekly_reviews_follow_the_marts_in_their_own_job() -> None:
    graph = defs.resolve_asset_graph()
    reviews = graph.get(dg.AssetKey("weekly_reviews"))
    assert {dg.AssetKey(["marts", "rep_weekly_trends"]), dg.AssetKey(["marts", "reps"])} <= reviews.parent_keys
    assert reviews.partitions_def.get_partition_keys()[0] == "2026-08-03"
    assert dg.AssetKey("weekly_reviews") not in jobs.coaching_job.selection.resolve(graph)


def test_partitioned_assets_backfill_in_a_single_run() -> None:
    graph = defs.resolve_asset_graph()
    partitioned = [k for k in graph.get_all_asset_keys() if graph.get(k).partitions_def is not None]
    assert len(partitioned) > 10
    for key in partitioned:
        policy = graph.get(key).backfill_policy
        assert policy is not None and policy.max_partitions_per_run is None, key.to_user_string()


def test_dbt_sources_are_the_pipeline_assets() -> None:
    graph = defs.resolve_asset_graph()
    mart = dg.AssetSelection.assets(dg.AssetKey(["marts", "call_scores"]))
    lineage = {key.to_user_string() for key in mart.upstream().resolve(graph)}
    assert {"discovery_analyses", "engagement_analyses", "raw_transcripts", "gong_users"} <= lineage
