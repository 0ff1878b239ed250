-- Interaction stats of one week in the rep's team: the rep's own calls (is_team false) and every call of the
-- team (is_team true), as averages and as the share of calls inside Gong's guidance.
select
    grouping(rep_user_id = %(rep_user_id)s) = 1 as is_team,
    rep_user_id = %(rep_user_id)s as is_rep,
    count(*) as call_count,
    avg(rep_talk_ratio) as talk_ratio,
    avg(longest_monologue_seconds) as longest_monologue_seconds,
    avg(rep_question_count) filter (where is_discovery_call) as discovery_question_count,
    avg(interactivity) as interactivity,
    avg(patience_seconds) as patience_seconds,
    avg(cast(is_talk_ratio_in_guidance as int)) as talk_ratio_share,
    avg(cast(is_monologue_in_guidance as int)) as longest_monologue_seconds_share,
    avg(cast(is_question_count_in_guidance as int)) as discovery_question_count_share,
    avg(cast(is_interactivity_in_guidance as int)) as interactivity_share,
    avg(cast(is_patience_in_guidance as int)) as patience_seconds_share
from marts.call_interaction_stats
where week_start = %(week_start)s and team = %(team)s
group by grouping sets ((rep_user_id = %(rep_user_id)s), ())
