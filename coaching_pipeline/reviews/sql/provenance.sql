-- The rubric versions and analyzer models behind the given reps' scores of the week.
select dimension, rubric_version, analyzer_model, bool_and(is_offline_analyzer) as offline
from marts.call_scores
where rep_user_id = any(%(rep_user_ids)s) and week_start = %(week_start)s
group by dimension, rubric_version, analyzer_model
order by dimension, rubric_version, analyzer_model
