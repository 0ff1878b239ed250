select
    call_id,
    rep_user_id,
    call_date,
    transcript_sha256,
    rep_talk_ratio,
    longest_monologue_seconds,
    longest_customer_story_seconds,
    rep_question_count,
    customer_question_count,
    interactivity,
    patience_seconds,
    computed_at
from {{ source('coaching', 'call_interaction_stats') }}
