-- A rep's weekly means over the trend window (12 weeks ending with the review week).
select week_start, dimension, mean_score, call_count
from marts.rep_weekly_trends
where rep_user_id = %(rep_user_id)s and week_start between %(trend_start)s and %(week_start)s
order by week_start, dimension
