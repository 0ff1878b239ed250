-- The marts follow one naming scheme now, entity names without fct_/dim_ prefixes (docs/marts.md, "Renamed
-- marts"): dim_reps is reps, fct_call_scores is call_scores, fct_call_criterion_scores is
-- call_criterion_scores and fct_call_interaction_stats is call_interaction_stats. dbt builds the new tables;
-- the old ones would only go stale, so they go.
drop table if exists marts.dim_reps;
drop table if exists marts.fct_call_scores;
drop table if exists marts.fct_call_criterion_scores;
drop table if exists marts.fct_call_interaction_stats;
