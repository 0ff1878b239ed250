{#- Each rep's interaction habits over the benchmark window (the latest `benchmark_weeks` ISO weeks with
    stats), as averages and as the share of calls inside Gong's guidance. The scalar-subquery bound lets
    the call_date index serve the window. -#}
with

bounds as (

    select
        {{ week_start('max(call_date)') }} as window_end_week,
        {{ benchmark_window_start(week_start('max(call_date)')) }} as window_start_week
    from {{ ref('call_interaction_stats') }}

),

windowed as (

    select
        stats.*,
        bounds.window_start_week,
        bounds.window_end_week
    from {{ ref('call_interaction_stats') }} as stats
    cross join bounds
    where stats.call_date >= bounds.window_start_week

),

reps as (

    select * from {{ ref('reps') }}

),

aggregated as (

    select
        rep_user_id,
        window_start_week,
        window_end_week,
        count(*) as call_count,
        sum(case when is_discovery_call then 1 else 0 end) as discovery_call_count,
        avg(rep_talk_ratio) as avg_rep_talk_ratio,
        avg(longest_monologue_seconds) as avg_longest_monologue_seconds,
        max(longest_monologue_seconds) as max_longest_monologue_seconds,
        avg(longest_customer_story_seconds) as avg_longest_customer_story_seconds,
        avg(case when is_discovery_call then rep_question_count end) as avg_discovery_question_count,
        avg(interactivity) as avg_interactivity,
        avg(patience_seconds) as avg_patience_seconds,
        {{ share_true('is_talk_ratio_in_guidance') }} as share_talk_ratio_in_guidance,
        {{ share_true('is_monologue_in_guidance') }} as share_monologue_in_guidance,
        {{ share_true('is_question_count_in_guidance') }} as share_question_count_in_guidance,
        {{ share_true('is_interactivity_in_guidance') }} as share_interactivity_in_guidance,
        {{ share_true('is_patience_in_guidance') }} as share_patience_in_guidance
    from windowed
    group by rep_user_id, window_start_week, window_end_week

),

final as (

    select
        aggregated.rep_user_id,
        reps.full_name as rep_name,
        coalesce(reps.team, 'Unassigned') as team,
        coalesce(reps.user_role, 'UNKNOWN') as rep_role,
        aggregated.window_start_week,
        aggregated.window_end_week,
        aggregated.call_count,
        aggregated.discovery_call_count,
        {{ as_ratio('aggregated.avg_rep_talk_ratio') }} as avg_rep_talk_ratio,
        {{ as_measure('aggregated.avg_longest_monologue_seconds') }} as avg_longest_monologue_seconds,
        {{ as_measure('aggregated.max_longest_monologue_seconds') }} as max_longest_monologue_seconds,
        {{ as_measure('aggregated.avg_longest_customer_story_seconds') }}
            as avg_longest_customer_story_seconds,
        {{ as_measure('aggregated.avg_discovery_question_count') }} as avg_discovery_question_count,
        {{ as_measure('aggregated.avg_interactivity') }} as avg_interactivity,
        {{ as_measure('aggregated.avg_patience_seconds') }} as avg_patience_seconds,
        {{ as_ratio('aggregated.share_talk_ratio_in_guidance') }} as share_talk_ratio_in_guidance,
        {{ as_ratio('aggregated.share_monologue_in_guidance') }} as share_monologue_in_guidance,
        {{ as_ratio('aggregated.share_question_count_in_guidance') }}
            as share_question_count_in_guidance,
        {{ as_ratio('aggregated.share_interactivity_in_guidance') }}
            as share_interactivity_in_guidance,
        {{ as_ratio('aggregated.share_patience_in_guidance') }} as share_patience_in_guidance
    from aggregated
    left join reps
        on aggregated.rep_user_id = reps.user_id

)

select * from final
