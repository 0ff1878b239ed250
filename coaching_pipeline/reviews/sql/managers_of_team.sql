-- The managers of a team's reps (a team review is per manager), or a manager by email.
select distinct managers.user_id, managers.full_name
from marts.reps as reps
inner join marts.reps as managers
    on reps.manager_user_id = managers.user_id
where
    reps.is_rep
    and (lower(reps.team) = lower(%(name)s) or lower(managers.email) = lower(%(name)s))
order by managers.user_id
