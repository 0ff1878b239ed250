-- The marts follow one naming scheme now, entity names without fct_/dim_ prefixes (docs/marts.md, "What
-- changed"): dim_reps is reps, fct_call_scores is call_scores, fct_call_criterion_scores is
-- call_criterion_scores and fct_call_interaction_stats is call_interaction_stats. dbt builds the new tables;
-- the old ones would only go stale, so they go.
drop table if exists marts.dim_reps;
drop table if exists marts.fct_call_scores;
drop table if exists marts.fct_call_criterion_scores;
drop table if exists marts.fct_call_interaction_stats;
-- Mart numbers now carry a fixed precision (numeric(p, s) in every contract). The incremental tables below
-- changed column types, which their on_schema_change: fail would refuse, so they go too: the next dbt run
-- rebuilds each in full (is_incremental() is false for a missing table), whatever its partition window.
drop table if exists marts.rep_weekly_trends;
drop table if exists marts.team_weekly_scores;
drop table if exists intermediate.int_llm_activity_by_call_date;
