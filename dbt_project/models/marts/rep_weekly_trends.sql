{#- A change on day D moves the rolling mean of D's week and the 3 weeks after it, so a partition run
    replaces those 4 weeks, reading 3 more weeks before them as rolling-window input. -#}
{%- set window = {'column': 'week_start', 'snap_to_weeks': true, 'weeks_after': 3} -%}
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
        where {{ in_partition_window('call_date', true, 3, 3) }}
    {%- endif %}

),

reps as (

    select * from {{ ref('reps') }}

),

weekly as (

    select
        rep_user_id,
        dimension,
        rubric_version,
        week_start,
        count(*) as call_count,
        sum(overall_score) as score_sum,
        avg(overall_score) as mean_score
    from scores
    group by rep_user_id, dimension, rubric_version, week_start

),

rolling as (

    select
        *,
        sum(call_count) over (
            partition by rep_user_id, dimension
            {{ trailing_days_frame('week_start', 21) }}
        ) as rolling_4w_call_count,
        sum(score_sum) over (
            partition by rep_user_id, dimension
            {{ trailing_days_frame('week_start', 21) }}
        ) as rolling_4w_score_sum,
        lag(week_start) over (
            partition by rep_user_id, dimension order by week_start
        ) as prior_week_start,
        lag(mean_score) over (
            partition by rep_user_id, dimension order by week_start
        ) as prior_mean_score
    from weekly

),

final as (

    select
        rolling.rep_user_id,
        rolling.dimension,
        rolling.week_start,
        {{ iso_year('rolling.week_start') }} as iso_year,
        {{ iso_week('rolling.week_start') }} as iso_week,
        rolling.rubric_version,
        reps.full_name as rep_name,
        coalesce(reps.team, 'Unassigned') as team,
        coalesce(reps.user_role, 'UNKNOWN') as rep_role,
        rolling.call_count,
        {{ as_measure('rolling.score_sum') }} as score_sum,
        {{ as_score('rolling.mean_score') }} as mean_score,
        cast(rolling.rolling_4w_call_count as bigint) as rolling_4w_call_count,
        {{ as_score('rolling.rolling_4w_score_sum / rolling.rolling_4w_call_count') }}
            as rolling_4w_mean_score,
        {#- A case drops its branches' precision in Postgres, so the cast wraps it. -#}
        {{ as_score("case when rolling.prior_week_start = " ~ weeks_before('rolling.week_start', 1)
            ~ " then rolling.prior_mean_score end") }} as previous_week_mean_score,
        {{ as_score("case when rolling.prior_week_start = " ~ weeks_before('rolling.week_start', 1)
            ~ " then rolling.mean_score - rolling.prior_mean_score end") }} as week_over_week_change
    from rolling
    left join reps
        on rolling.rep_user_id = reps.user_id
    {% if is_incremental() -%}
        where {{ in_partition_window('rolling.week_start', true, 0, 3) }}
    {%- endif %}

)

select * from final
