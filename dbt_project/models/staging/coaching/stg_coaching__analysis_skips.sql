select
    call_id,
    call_date,
    scope as call_scope,
    reason as skip_reason,
    detail,
    recorded_at
from {{ source('coaching', 'analysis_skips') }}
