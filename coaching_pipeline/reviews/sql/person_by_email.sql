-- Gong users by email (case-insensitive).
select user_id, full_name, email, team, user_role, is_rep, is_active, manager_user_id
from marts.reps
where lower(email) = lower(%(email)s)
order by is_active desc, user_id
