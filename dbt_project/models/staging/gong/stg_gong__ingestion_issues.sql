with

source as (

    select * from {{ source('gong', 'ingestion_issues') }}

),

renamed as (

    select
        call_id,
        stage,
        reason,
        detail,
        call_date,
        recorded_at
    from source

)

select * from renamed
