{#- Each rep's three weakest criteria over the benchmark window, with the verified quotes that show them:
    quotes tagged to the criterion from the rep's lowest-scoring calls on it, most recent first. The window
    bound is a scalar subquery, so the marts' call_date indexes serve it.
    Postgres cannot know that bound when planning, so it estimates a third of each mart, prices the lateral
    lookups below far too high and JIT-compiles the plan: 1.5-2 s of compiling for a query of about 0.05 s
    (100k calls). The pre-hook turns JIT off for this model's transaction only. Past the means, each focus
    criterion is read on its own (walked_calls): its scores through call_criterion_scores'
    (rep_user_id, dimension, criterion_id, call_date) index, its calls' evidence through call_scores'
    primary key, and only as far as the quotes it keeps. -#}
{{ config(pre_hook="{{ without_jit() }}") }}

with

bounds as (

    select
        {{ week_start('max(call_date)') }} as window_end_week,
        {{ benchmark_window_start(week_start('max(call_date)')) }} as window_start_week
    from {{ ref('call_scores') }}

),

criteria as (

    select * from {{ ref('int_rubric_criteria_unnested') }}

),

reps as (

    select * from {{ ref('reps') }}

),

criterion_means as (

    select
        rep_user_id,
        dimension,
        rubric_version,
        criterion_id,
        {{ as_score('avg(criterion_score)') }} as mean_criterion_score,
        count(*) as scored_call_count
    from {{ ref('call_criterion_scores') }}
    where call_date >= (select bounds.window_start_week from bounds)
    group by rep_user_id, dimension, rubric_version, criterion_id

),

focus as (

    select * from (
        select
            *,
            row_number() over (
                partition by rep_user_id
                order by mean_criterion_score asc, scored_call_count desc, dimension asc, criterion_id asc
            ) as focus_rank
        from criterion_means
    ) as ranked
    where focus_rank <= 3

),

walked_calls as (

    {#- Only the lowest-scored call and the first three verified quotes are kept, ranked by call (lowest
        score, then latest, then call id) and then by evidence position. So each focus criterion walks its
        calls in that order (ranked_calls is sorted before the joins, so nothing is sorted above them),
        probes each call's evidence by primary key, and stops after the call that brings its third quote:
        earlier_quote_count (quotes of the earlier calls) never decreases, so Postgres makes its filter a
        run condition of the window and ends the walk there, about ten calls in, instead of joining every
        focus call to every window call score. Counting whole calls (groups) keeps or drops a call's quotes
        together, and always keeps the first call, with a null quote when it has none. A call has the
        same rep in both marts, so the probe by call needs no rep filter. -#}
    select
        focus.rep_user_id,
        focus.focus_rank,
        walked.call_id,
        walked.call_url,
        walked.criterion_score,
        walked.call_date,
        walked.evidence_position,
        walked.quote_text,
        walked.speaker,
        walked.start_seconds,
        walked.quote_call_url,
        walked.quote_call_date
    from focus
    cross join
        lateral (
            select
                ranked_calls.call_id,
                ranked_calls.call_url,
                ranked_calls.criterion_score,
                ranked_calls.call_date,
                item.position as evidence_position,
                item.value ->> 'quote' as quote_text,
                item.value ->> 'speaker' as speaker,
                cast(item.value ->> 'start_seconds' as numeric) as start_seconds,
                call_score.call_url as quote_call_url,
                call_score.call_date as quote_call_date,
                count(*) filter (where item.position is not null) over (
                    order by
                        ranked_calls.criterion_score asc,
                        ranked_calls.call_date desc,
                        ranked_calls.call_id asc
                    groups between unbounded preceding and 1 preceding
                ) as earlier_quote_count
            from (
                select
                    scores.call_id,
                    scores.call_url,
                    scores.criterion_score,
                    scores.call_date
                from {{ ref('call_criterion_scores') }} as scores
                where
                    scores.rep_user_id = focus.rep_user_id
                    and scores.dimension = focus.dimension
                    and scores.criterion_id = focus.criterion_id
                    and scores.call_date >= (select bounds.window_start_week from bounds)
                order by scores.criterion_score asc, scores.call_date desc, scores.call_id asc
            ) as ranked_calls
            left join {{ ref('call_scores') }} as call_score
                on
                    ranked_calls.call_id = call_score.call_id
                    and focus.dimension = call_score.dimension
                    and call_score.call_date >= (select bounds.window_start_week from bounds)
            left join
                lateral {{ json_array_elements('call_score.evidence') }}
                with ordinality as item (value, position)
                on
                    coalesce(cast(item.value ->> 'verified' as boolean), false)
                    and item.value ->> 'criterion_id' = focus.criterion_id
        ) as walked
    where walked.earlier_quote_count < 3

),

lowest_calls as (

    {#- The first call of the walk. -#}
    select distinct on (rep_user_id, focus_rank)
        rep_user_id,
        focus_rank,
        call_id,
        call_url
    from walked_calls
    order by rep_user_id asc, focus_rank asc, criterion_score asc, call_date desc, call_id asc

),

focus_quotes as (

    select
        rep_user_id,
        focus_rank,
        call_id,
        quote_text,
        speaker,
        start_seconds,
        quote_call_url,
        quote_call_date,
        row_number() over (
            partition by rep_user_id, focus_rank
            order by criterion_score asc, call_date desc, call_id asc, evidence_position asc
        ) as quote_rank
    from walked_calls
    where evidence_position is not null

),

quote_lists as (

    select
        rep_user_id,
        focus_rank,
        count(*) as quote_count,
        jsonb_agg(
            jsonb_build_object(
                'quote', quote_text,
                'speaker', speaker,
                'start_seconds', start_seconds,
                'call_id', call_id,
                'call_url', quote_call_url,
                'call_date', quote_call_date
            )
            order by quote_rank
        ) as evidence_quotes,
        max(case when quote_rank = 1 then quote_text end) as top_quote,
        max(case when quote_rank = 1 then call_id end) as top_quote_call_id,
        max(case when quote_rank = 1 then quote_call_url end) as top_quote_call_url,
        {{ as_measure('max(case when quote_rank = 1 then start_seconds end)') }} as top_quote_start_seconds
    from focus_quotes
    where quote_rank <= 3
    group by rep_user_id, focus_rank

),

final as (

    select
        focus.rep_user_id,
        focus.focus_rank,
        reps.full_name as rep_name,
        coalesce(reps.team, 'Unassigned') as team,
        coalesce(reps.user_role, 'UNKNOWN') as rep_role,
        focus.dimension,
        focus.criterion_id,
        criteria.criterion_name,
        focus.rubric_version,
        focus.mean_criterion_score,
        focus.scored_call_count,
        lowest_calls.call_id as lowest_scored_call_id,
        lowest_calls.call_url as lowest_scored_call_url,
        coalesce(quote_lists.quote_count, 0) as quote_count,
        quote_lists.top_quote,
        quote_lists.top_quote_call_id,
        quote_lists.top_quote_call_url,
        quote_lists.top_quote_start_seconds,
        coalesce(quote_lists.evidence_quotes, cast('[]' as jsonb)) as evidence_quotes,
        criteria.drills,
        bounds.window_start_week,
        bounds.window_end_week
    from focus
    cross join bounds
    left join reps
        on focus.rep_user_id = reps.user_id
    left join criteria
        on
            focus.dimension = criteria.dimension
            and focus.rubric_version = criteria.rubric_version
            and focus.criterion_id = criteria.criterion_id
    left join lowest_calls
        on
            focus.rep_user_id = lowest_calls.rep_user_id
            and focus.focus_rank = lowest_calls.focus_rank
    left join quote_lists
        on
            focus.rep_user_id = quote_lists.rep_user_id
            and focus.focus_rank = quote_lists.focus_rank

)

select * from final
