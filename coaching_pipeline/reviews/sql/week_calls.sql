-- Each call of the week by the given reps, its mean score over the dimensions and the score of each.
select
    call_id,
    max(call_title) as title,
    max(call_date) as call_date,
    max(call_url) as call_url,
    round(avg(overall_score), 4) as mean_score,
    jsonb_object_agg(dimension, overall_score) as scores
from marts.call_scores
where rep_user_id = any(%(rep_user_ids)s) and week_start = %(week_start)s
group by call_id
order by mean_score desc, call_date desc, call_id
