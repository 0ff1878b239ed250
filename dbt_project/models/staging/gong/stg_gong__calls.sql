with

source as (

    select * from {{ source('gong', 'calls') }}

),

renamed as (

    select
        call_id,
        call_date,
        started_at,
        scheduled_at,
        duration_seconds,
        title as call_title,
        url as call_url,
        primary_user_id,
        direction,
        scope,
        media,
        language,
        workspace_id,
        purpose,
        call_type,
        transcript_status,
        first_seen_at,
        updated_at
    from source

)

select * from renamed
