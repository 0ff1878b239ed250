{%- set window = {'column': 'call_date'} -%}
{{
    config(
        materialized='incremental',
        meta={'partition_window': window},
        indexes=[{'columns': ['call_date']}],
    )
}}

with

stats as (

    select * from {{ ref('stg_coaching__call_interaction_stats') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

calls as (

    select * from {{ ref('int_calls_with_reps') }}

),

joined as (

    select
        stats.*,
        coalesce(calls.rep_user_id, stats.rep_user_id) as resolved_rep_user_id,
        calls.rep_name,
        coalesce(calls.team, 'Unassigned') as team,
        coalesce(calls.rep_role, 'UNKNOWN') as rep_role,
        calls.call_type,
        calls.call_url,
        calls.duration_seconds,
        calls.is_discovery_call
    from stats
    left join calls
        on stats.call_id = calls.call_id

),

final as (

    select
        call_id,
        call_date,
        {{ week_start('call_date') }} as week_start,
        resolved_rep_user_id as rep_user_id,
        rep_name,
        team,
        rep_role,
        call_type,
        call_url,
        duration_seconds,
        is_discovery_call,
        rep_talk_ratio,
        {{ as_ratio("rep_talk_ratio - " ~ var('talk_ratio_target')) }} as talk_ratio_gap_to_target,
        longest_monologue_seconds,
        longest_customer_story_seconds,
        rep_question_count,
        customer_question_count,
        interactivity,
        patience_seconds,
        rep_talk_ratio <= {{ var('talk_ratio_max') }} as is_talk_ratio_in_guidance,
        longest_monologue_seconds <= {{ var('longest_monologue_max_seconds') }} as is_monologue_in_guidance,
        case
            when is_discovery_call
                then
                    rep_question_count
                    between {{ var('discovery_questions_min') }} and {{ var('discovery_questions_max') }}
        end as is_question_count_in_guidance,
        interactivity >= {{ var('interactivity_min') }} as is_interactivity_in_guidance,
        patience_seconds between {{ var('patience_min_seconds') }}
        and {{ var('patience_max_seconds') }} as is_patience_in_guidance,
        computed_at
    from joined

)

select * from final
