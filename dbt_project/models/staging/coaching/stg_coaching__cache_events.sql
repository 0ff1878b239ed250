select
    event_id,
    cache_key,
    call_id,
    call_date,
    dimension,
    model,
    is_hit,
    saved_usd,
    run_id,
    occurred_at
from {{ source('coaching', 'cache_events') }}
