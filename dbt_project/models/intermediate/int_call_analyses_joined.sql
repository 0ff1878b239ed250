{#- Analyses scored against the current rubric version of their dimension, with call and rep context.
    No window functions, so a mart's call_date filter reaches the call_analyses index. The rep is the
    call's (Gong's primary user), as in every per-call mart; an analysis keeps its own rep id only for a
    call Gong no longer lists. -#}
with

analyses as (

    select * from {{ ref('stg_coaching__call_analyses') }}

),

current_versions as (

    select * from {{ ref('int_rubric_versions_ranked') }}
    where is_current

),

calls as (

    select * from {{ ref('int_calls_with_reps') }}

),

joined as (

    select
        analyses.call_id,
        analyses.dimension,
        analyses.rubric_version,
        analyses.call_date,
        {{ week_start('analyses.call_date') }} as week_start,
        calls.call_started_at,
        coalesce(calls.rep_user_id, analyses.rep_user_id) as rep_user_id,
        calls.rep_name,
        coalesce(calls.team, 'Unassigned') as team,
        coalesce(calls.rep_role, 'UNKNOWN') as rep_role,
        calls.call_type,
        calls.call_title,
        calls.call_url,
        calls.duration_seconds,
        analyses.overall_score,
        analyses.criterion_scores,
        analyses.evidence,
        analyses.strengths,
        analyses.improvements,
        analyses.analyzer,
        analyses.analyzer_model,
        analyses.is_offline_analyzer,
        analyses.prompt_version,
        analyses.evidence_count,
        analyses.unverified_quote_count,
        analyses.analyzed_at
    from analyses
    inner join current_versions
        on
            analyses.dimension = current_versions.dimension
            and analyses.rubric_version = current_versions.rubric_version
    left join calls
        on analyses.call_id = calls.call_id

)

select * from joined
