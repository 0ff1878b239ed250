{%- set window = {'column': 'week_start', 'snap_to_weeks': true} -%}
{{
    config(
        materialized='incremental',
        meta={'partition_window': window},
        post_hook=["{{ delete_stale_rubric_versions() }}"],
    )
}}
-- depends_on: {{ ref('int_rubric_versions_ranked') }}

with

scores as (

    select * from {{ ref('call_scores') }}
    {% if is_incremental() -%}
        where {{ in_partition_window('call_date', true) }}
    {%- endif %}

),

final as (

    select
        team,
        rep_role,
        week_start,
        dimension,
        {{ iso_year('week_start') }} as iso_year,
        {{ iso_week('week_start') }} as iso_week,
        rubric_version,
        count(distinct rep_user_id) as rep_count,
        count(*) as call_count,
        {{ as_score('avg(overall_score)') }} as mean_score,
        {{ as_score(percentile('overall_score', 0.5)) }} as median_score,
        {{ as_score(percentile('overall_score', 0.25)) }} as p25_score,
        {{ as_score(percentile('overall_score', 0.75)) }} as p75_score,
        {{ as_score('min(overall_score)') }} as min_score,
        {{ as_score('max(overall_score)') }} as max_score
    from scores
    group by team, rep_role, week_start, dimension, rubric_version

)

select * from final
