-- Call-weighted means of one week per dimension: the rep's team (all roles) and role (all teams).
select
    dimension,
    round(
        sum(mean_score * call_count) filter (where team = %(team)s)
        / nullif(sum(call_count) filter (where team = %(team)s), 0),
        4
    ) as team_mean_score,
    round(
        sum(mean_score * call_count) filter (where rep_role = %(role)s)
        / nullif(sum(call_count) filter (where rep_role = %(role)s), 0),
        4
    ) as role_mean_score
from marts.team_weekly_scores
where week_start = %(week_start)s
group by dimension
