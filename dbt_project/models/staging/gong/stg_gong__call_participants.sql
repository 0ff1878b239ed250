select
    call_id,
    party_id,
    speaker_id,
    user_id,
    name as participant_name,
    email,
    title,
    affiliation,
    affiliation = 'Internal' as is_internal
from {{ source('gong', 'call_participants') }}
