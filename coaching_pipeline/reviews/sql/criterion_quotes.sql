-- Verified quotes tagged to one criterion, from the rep's calls in the window: for a focus area the
-- lowest-scored calls first (as marts.rep_coaching_focus), for a strength the highest; then latest first.
select
    item.value ->> 'quote' as quote,
    item.value ->> 'speaker' as speaker,
    cast(item.value ->> 'start_seconds' as numeric) as start_seconds,
    scores.call_url,
    scores.call_date
from marts.call_criterion_scores as scores
inner join marts.call_scores as calls
    on scores.call_id = calls.call_id and scores.dimension = calls.dimension
cross join lateral jsonb_array_elements(calls.evidence) with ordinality as item (value, position)
where
    scores.rep_user_id = %(rep_user_id)s
    and scores.dimension = %(dimension)s
    and scores.criterion_id = %(criterion_id)s
    and scores.call_date between %(window_start)s and %(week_end)s
    and coalesce(cast(item.value ->> 'verified' as boolean), false)
    and item.value ->> 'criterion_id' = %(criterion_id)s
order by
    case when %(best_first)s then -scores.criterion_score else scores.criterion_score end,
    scores.call_date desc,
    scores.call_id,
    item.position
limit %(limit)s
