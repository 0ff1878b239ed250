select
    call_id,
    dimension,
    rubric_version,
    status as failure_status,
    status = 'deferred' as is_deferred,
    reason,
    detail,
    call_date,
    attempts,
    recorded_at
from {{ source('coaching', 'analysis_failures') }}
