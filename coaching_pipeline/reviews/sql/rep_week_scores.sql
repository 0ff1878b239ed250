-- A rep's scores per dimension for one week, with last week and the 4-week rolling mean.
select
    dimension,
    rubric_version,
    call_count,
    mean_score,
    previous_week_mean_score,
    week_over_week_change,
    rolling_4w_mean_score
from marts.rep_weekly_trends
where rep_user_id = %(rep_user_id)s and week_start = %(week_start)s
order by dimension
