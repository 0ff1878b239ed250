{%- set window = {'column': 'call_date'} -%}
{{
    config(
        materialized='incremental',
        meta={'partition_window': window},
        indexes=[
            {'columns': ['call_date']},
            {'columns': ['rep_user_id', 'dimension', 'call_date']},
            {'columns': ['dimension', 'rubric_version']},
        ],
        post_hook=["{{ delete_stale_rubric_versions() }}"],
    )
}}
-- depends_on: {{ ref('int_rubric_versions_ranked') }}

with

analyses as (

    select * from {{ ref('int_call_analyses_joined') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

content_issues as (

    select * from {{ ref('stg_gong__ingestion_issues') }}
    where stage = 'content'

),

content_flags as (

    select
        call_id,
        jsonb_agg(reason order by reason) as content_flags
    from content_issues
    group by call_id

),

final as (

    select
        analyses.call_id,
        analyses.dimension,
        analyses.rubric_version,
        analyses.call_date,
        analyses.week_start,
        analyses.call_started_at,
        analyses.rep_user_id,
        analyses.rep_name,
        analyses.team,
        analyses.rep_role,
        analyses.call_type,
        analyses.call_title,
        analyses.call_url,
        analyses.duration_seconds,
        analyses.overall_score,
        analyses.criterion_scores,
        analyses.strengths,
        analyses.improvements,
        analyses.evidence,
        analyses.evidence_count,
        analyses.unverified_quote_count,
        analyses.unverified_quote_count > 0 as has_unverified_quotes,
        analyses.analyzer,
        analyses.analyzer_model,
        analyses.is_offline_analyzer,
        analyses.prompt_version,
        analyses.analyzed_at,
        content_flags.call_id is not null as is_flagged,
        coalesce(content_flags.content_flags, '[]'::jsonb) as content_flags
    from analyses
    left join content_flags
        on analyses.call_id = content_flags.call_id

)

select * from final
