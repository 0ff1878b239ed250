-- The latest week with scored calls that ended before the given day, else the latest week with scored calls.
select coalesce(
    (select max(week_start) from marts.call_scores where week_start + 6 < %(today)s),
    (select max(week_start) from marts.call_scores)
) as week_start
