select
    call_id,
    stage,
    severity,
    severity = 'warning' as is_warning,
    reason,
    detail,
    call_date,
    recorded_at
from {{ source('gong', 'ingestion_issues') }}
