-- The reps who report to a manager (Gong's manager hierarchy).
select user_id, full_name, email, team, user_role, is_rep, is_active, manager_user_id
from marts.reps
where manager_user_id = %(manager_user_id)s and is_rep
order by full_name, user_id
