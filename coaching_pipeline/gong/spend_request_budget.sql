-- Spend n requests of the day's budget atomically; returns no row when the spend would pass the limit.
insert into raw.gong_request_budget as budget (day, requests)
select %(day)s, %(n)s
where %(n)s <= %(limit)s
on conflict (day) do update
    set requests = budget.requests + excluded.requests
    where budget.requests + excluded.requests <= %(limit)s
returning requests
