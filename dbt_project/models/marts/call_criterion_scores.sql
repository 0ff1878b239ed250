{%- set window = {'column': 'call_date'} -%}
{{
    config(
        materialized='incremental',
        meta={'partition_window': window},
        indexes=[
            {'columns': ['call_date']},
            {'columns': ['dimension', 'rubric_version']},
        ],
        post_hook=[
            "{{ delete_stale_rubric_versions() }}",
            "{{ ensure_index(['rep_user_id', 'dimension', 'criterion_id', 'call_date']) }}",
        ],
    )
}}
-- depends_on: {{ ref('int_rubric_versions_ranked') }}

with

criterion_scores as (

    select * from {{ ref('int_criterion_scores_unnested') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

deduplicated as (

    {#- A model reply could repeat a criterion; keep its first score so the grain holds. -#}
    select
        *,
        row_number() over (
            partition by call_id, dimension, criterion_id
            order by criterion_score
        ) as duplicate_rank
    from criterion_scores
    where criterion_id is not null

),

final as (

    select
        call_id,
        dimension,
        criterion_id,
        rubric_version,
        criterion_name,
        criterion_weight,
        criterion_score,
        rationale,
        call_date,
        week_start,
        rep_user_id,
        rep_name,
        team,
        rep_role,
        call_type,
        call_url,
        is_offline_analyzer
    from deduplicated
    where duplicate_rank = 1

)

select * from final
