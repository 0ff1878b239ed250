-- A rep's mean score per rubric criterion over the focus window (4 weeks ending with the review week), as
-- marts.rep_coaching_focus ranks them for the latest window.
select
    dimension,
    rubric_version,
    criterion_id,
    max(criterion_name) as criterion_name,
    round(avg(criterion_score), 4) as mean_criterion_score,
    count(*) as scored_call_count
from marts.call_criterion_scores
where rep_user_id = %(rep_user_id)s and call_date between %(window_start)s and %(week_end)s
group by dimension, rubric_version, criterion_id
