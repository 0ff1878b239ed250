select
    call_id,
    stage,
    reason,
    detail,
    call_date,
    recorded_at
from {{ source('gong', 'ingestion_issues') }}
