-- The spread of the reps' call scores of the week per dimension.
select
    dimension,
    count(*) as call_count,
    round(avg(overall_score), 4) as mean_score,
    min(overall_score) as min_score,
    percentile_cont(0.25) within group (order by overall_score) as p25_score,
    percentile_cont(0.5) within group (order by overall_score) as median_score,
    percentile_cont(0.75) within group (order by overall_score) as p75_score,
    max(overall_score) as max_score
from marts.call_scores
where rep_user_id = any(%(rep_user_ids)s) and week_start = %(week_start)s
group by dimension
order by dimension
