{#- Each rep against peers over the benchmark window: the latest `benchmark_weeks` ISO weeks that hold call
    scores. percent_rank: 0 = lowest mean score in the group, 1 = highest, ties share a value. -#}
with

bounds as (

    select
        max(week_start) as window_end_week,
        {{ benchmark_window_start('max(week_start)') }} as window_start_week
    from {{ ref('rep_weekly_trends') }}

),

trends as (

    {#- Bound by a scalar subquery, so the scan itself keeps only the window's weeks, instead of every week
        being materialized for the max and then joined to the bounds. -#}
    select * from {{ ref('rep_weekly_trends') }}
    where week_start >= (select bounds.window_start_week from bounds)

),

reps as (

    select * from {{ ref('reps') }}

),

rep_scores as (

    select
        trends.rep_user_id,
        trends.dimension,
        trends.rubric_version,
        bounds.window_start_week,
        bounds.window_end_week,
        cast(sum(trends.call_count) as bigint) as call_count,
        sum(trends.score_sum) / sum(trends.call_count) as mean_score
    from trends
    cross join bounds
    where trends.week_start between bounds.window_start_week and bounds.window_end_week
    group by
        trends.rep_user_id,
        trends.dimension,
        trends.rubric_version,
        bounds.window_start_week,
        bounds.window_end_week

),

with_reps as (

    select
        rep_scores.*,
        reps.full_name as rep_name,
        coalesce(reps.team, 'Unassigned') as team,
        coalesce(reps.user_role, 'UNKNOWN') as rep_role
    from rep_scores
    left join reps
        on rep_scores.rep_user_id = reps.user_id

),

final as (

    select
        rep_user_id,
        dimension,
        rubric_version,
        rep_name,
        team,
        rep_role,
        window_start_week,
        window_end_week,
        call_count,
        {{ as_score('mean_score') }} as mean_score,
        {{ as_ratio('percent_rank() over (partition by dimension, team order by mean_score)') }}
            as team_percentile,
        count(*) over (partition by dimension, team) as team_rep_count,
        {{ as_score('avg(mean_score) over (partition by dimension, team)') }} as team_mean_score,
        {{ as_ratio('percent_rank() over (partition by dimension, rep_role order by mean_score)') }}
            as role_percentile,
        count(*) over (partition by dimension, rep_role) as role_rep_count,
        {{ as_score('avg(mean_score) over (partition by dimension, rep_role)') }} as role_mean_score
    from with_reps

)

select * from final
