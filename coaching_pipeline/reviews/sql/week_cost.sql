-- Analysis requests, dollars and cache health over the week's days (all teams).
select
    coalesce(sum(cost_usd), 0) as cost_usd,
    coalesce(sum(saved_usd), 0) as saved_usd,
    coalesce(sum(request_count), 0) as request_count,
    coalesce(sum(analysis_count), 0) as analysis_count,
    cast(sum(cache_hit_count) as numeric) / nullif(sum(cache_lookup_count), 0) as cache_hit_rate,
    count(*) as day_count
from marts.llm_daily_costs
where activity_date between %(week_start)s and %(week_end)s
