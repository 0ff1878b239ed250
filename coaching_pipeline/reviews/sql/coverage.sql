-- Per rep: calls of the week with a transcript (interaction stats) and calls with scores.
with

recorded as (

    select rep_user_id, count(*) as recorded
    from marts.call_interaction_stats
    where rep_user_id = any(%(rep_user_ids)s) and week_start = %(week_start)s
    group by rep_user_id

),

analysed as (

    select rep_user_id, count(distinct call_id) as analysed
    from marts.call_scores
    where rep_user_id = any(%(rep_user_ids)s) and week_start = %(week_start)s
    group by rep_user_id

)

select
    coalesce(recorded.rep_user_id, analysed.rep_user_id) as rep_user_id,
    coalesce(recorded.recorded, 0) as recorded,
    coalesce(analysed.analysed, 0) as analysed
from recorded
full outer join analysed
    on recorded.rep_user_id = analysed.rep_user_id
