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

final as (

    select
        call_id,
        dimension,
        rubric_version,
        call_date,
        week_start,
        call_started_at,
        rep_user_id,
        rep_name,
        team,
        rep_role,
        call_type,
        call_title,
        call_url,
        duration_seconds,
        overall_score,
        criterion_scores,
        strengths,
        improvements,
        evidence,
        evidence_count,
        unverified_quote_count,
        unverified_quote_count > 0 as has_unverified_quotes,
        analyzer,
        analyzer_model,
        is_offline_analyzer,
        prompt_version,
        analyzed_at
    from analyses

)

select * from final
