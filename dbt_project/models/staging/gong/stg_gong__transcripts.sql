select
    call_id,
    sha256 as transcript_sha256,
    token_count,
    turn_count,
    sentence_count,
    fetched_at
from {{ source('gong', 'transcripts') }}
