select
    event_id,
    event_key,
    kind as event_kind,
    occurred_at,
    run_id,
    call_id,
    dimension,
    detail
from {{ source('coaching', 'pipeline_events') }}
