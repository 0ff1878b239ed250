-- Who gets a review for the week: every rep with scored calls, with their manager.
select distinct scores.rep_user_id, reps.manager_user_id
from marts.call_scores as scores
inner join marts.reps as reps
    on scores.rep_user_id = reps.user_id
where scores.week_start = %(week_start)s and reps.is_rep
order by scores.rep_user_id
