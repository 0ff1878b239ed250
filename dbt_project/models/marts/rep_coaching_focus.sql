{#- Each rep's three weakest criteria over the benchmark window, with the verified quotes that show them:
    quotes tagged to the criterion from the rep's lowest-scoring calls on it, most recent first. The window
    bound is a scalar subquery, so the marts' call_date indexes serve it.
    Postgres cannot know that bound when planning, so it estimates a third of each mart, prices the lateral
    lookups below far too high and JIT-compiles the plan: 1.5-2 s of compiling for a query of about 0.1 s
    (100k calls). The pre-hook turns JIT off for this model's transaction only. The per-criterion lookups
    use fct_call_criterion_scores' (rep_user_id, dimension, criterion_id, call_date) index. -#}
{{ config(pre_hook="{{ without_jit() }}") }}

with

bounds as (

    select
        {{ week_start('max(call_date)') }} as window_end_week,
        {{ benchmark_window_start(week_start('max(call_date)')) }} as window_start_week
    from {{ ref('fct_call_scores') }}

),

criteria as (

    select * from {{ ref('int_rubric_criteria_unnested') }}

),

reps as (

    select * from {{ ref('dim_reps') }}

),

criterion_means as (

    select
        rep_user_id,
        dimension,
        rubric_version,
        criterion_id,
        round(avg(criterion_score), 4) as mean_criterion_score,
        count(*) as scored_call_count
    from {{ ref('fct_call_criterion_scores') }}
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

focus_calls as (

    {#- Lateral, so each focus criterion reads only its own few dozen scores, through the
        (rep_user_id, dimension, criterion_id, call_date) index of fct_call_criterion_scores, and ranks them
        alone, instead of every score of the window being sorted for a merge join and a partitioned ranking. -#}
    select
        focus.rep_user_id,
        focus.dimension,
        focus.criterion_id,
        ranked_calls.call_id,
        ranked_calls.call_url,
        ranked_calls.call_rank
    from focus
    cross join lateral (
        select
            scores.call_id,
            scores.call_url,
            row_number() over (
                order by scores.criterion_score asc, scores.call_date desc, scores.call_id asc
            ) as call_rank
        from {{ ref('fct_call_criterion_scores') }} as scores
        where
            scores.rep_user_id = focus.rep_user_id
            and scores.dimension = focus.dimension
            and scores.criterion_id = focus.criterion_id
            and scores.call_date >= (select bounds.window_start_week from bounds)
    ) as ranked_calls

),

call_scores as (

    {#- Only the focus reps' calls on the focus dimensions (a call has the same rep in both marts): about a
        third of the window's call scores, so the join to focus_calls hashes them in memory. -#}
    select
        call_id,
        dimension,
        call_url,
        call_date,
        evidence
    from {{ ref('fct_call_scores') }}
    where
        call_date >= (select bounds.window_start_week from bounds)
        and (rep_user_id, dimension) in (
            select
                focus.rep_user_id,
                focus.dimension
            from focus
        )

),

quotes as (

    select
        call_scores.call_id,
        call_scores.dimension,
        call_scores.call_url,
        call_scores.call_date,
        item.position as evidence_position,
        item.value ->> 'criterion_id' as criterion_id,
        item.value ->> 'quote' as quote_text,
        item.value ->> 'speaker' as speaker,
        cast(item.value ->> 'start_seconds' as numeric) as start_seconds
    from call_scores
    cross join
        lateral {{ json_array_elements('call_scores.evidence') }} with ordinality as item (value, position)
    where coalesce(cast(item.value ->> 'verified' as boolean), false)

),

focus_quotes as (

    select
        focus_calls.rep_user_id,
        focus_calls.dimension,
        focus_calls.criterion_id,
        quotes.quote_text,
        quotes.speaker,
        quotes.start_seconds,
        quotes.call_id,
        quotes.call_url,
        quotes.call_date,
        row_number() over (
            partition by focus_calls.rep_user_id, focus_calls.dimension, focus_calls.criterion_id
            order by focus_calls.call_rank asc, quotes.evidence_position asc
        ) as quote_rank
    from focus_calls
    inner join quotes
        on
            focus_calls.call_id = quotes.call_id
            and focus_calls.dimension = quotes.dimension
            and focus_calls.criterion_id = quotes.criterion_id

),

quote_lists as (

    select
        rep_user_id,
        dimension,
        criterion_id,
        count(*) as quote_count,
        jsonb_agg(
            jsonb_build_object(
                'quote', quote_text,
                'speaker', speaker,
                'start_seconds', start_seconds,
                'call_id', call_id,
                'call_url', call_url,
                'call_date', call_date
            )
            order by quote_rank
        ) as evidence_quotes,
        max(case when quote_rank = 1 then quote_text end) as top_quote,
        max(case when quote_rank = 1 then call_id end) as top_quote_call_id,
        max(case when quote_rank = 1 then call_url end) as top_quote_call_url,
        max(case when quote_rank = 1 then start_seconds end) as top_quote_start_seconds
    from focus_quotes
    where quote_rank <= 3
    group by rep_user_id, dimension, criterion_id

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
        lowest.call_id as lowest_scored_call_id,
        lowest.call_url as lowest_scored_call_url,
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
    left join focus_calls as lowest
        on
            focus.rep_user_id = lowest.rep_user_id
            and focus.dimension = lowest.dimension
            and focus.criterion_id = lowest.criterion_id
            and lowest.call_rank = 1
    left join quote_lists
        on
            focus.rep_user_id = quote_lists.rep_user_id
            and focus.dimension = quote_lists.dimension
            and focus.criterion_id = quote_lists.criterion_id

)

select * from final
