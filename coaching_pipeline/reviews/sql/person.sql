-- A Gong user by id, as marts.reps knows them.
select user_id, full_name, email, team, user_role, is_rep, is_active, manager_user_id
from marts.reps
where user_id = %(user_id)s
