-- Each rep's mean score and week-over-week change per dimension for one week.
select rep_user_id, dimension, mean_score, week_over_week_change
from marts.rep_weekly_trends
where rep_user_id = any(%(rep_user_ids)s) and week_start = %(week_start)s
order by rep_user_id, dimension
