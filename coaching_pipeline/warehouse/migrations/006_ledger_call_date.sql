-- The call's date on every cost-ledger row, so daily (call-date) partitions can bound the ledger like the
-- analyses. Rows tied to no call (batch submissions and polling) keep a null call_date.
alter table coaching.llm_requests add column call_date date;
alter table coaching.cache_events add column call_date date;

update coaching.llm_requests as r
set call_date = c.call_date
from raw.calls as c
where c.call_id = r.call_id;

update coaching.cache_events as e
set call_date = c.call_date
from raw.calls as c
where c.call_id = e.call_id;

create index llm_requests_call_date_idx on coaching.llm_requests (call_date);
create index cache_events_call_date_idx on coaching.cache_events (call_date);
