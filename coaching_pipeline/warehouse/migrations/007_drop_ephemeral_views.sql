-- dbt's staging models and the view-only intermediates are ephemeral now (inlined as CTEs where they are
-- used), so the views earlier builds left behind would go stale, and a later raw-table migration that
-- drops or retypes a column they read would fail on them. Dependents (marts) are tables, never these views.
drop view if exists intermediate.int_call_analyses_joined;
drop view if exists intermediate.int_criterion_scores_unnested;
drop view if exists intermediate.int_rubric_criteria_unnested;
drop view if exists staging.stg_coaching__analysis_failures;
drop view if exists staging.stg_coaching__cache_events;
drop view if exists staging.stg_coaching__call_analyses;
drop view if exists staging.stg_coaching__call_interaction_stats;
drop view if exists staging.stg_coaching__llm_requests;
drop view if exists staging.stg_coaching__rubrics;
drop view if exists staging.stg_gong__call_participants;
drop view if exists staging.stg_gong__calls;
drop view if exists staging.stg_gong__ingestion_issues;
drop view if exists staging.stg_gong__transcripts;
drop view if exists staging.stg_gong__users;
