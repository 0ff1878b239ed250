with

source as (

    select * from {{ source('coaching', 'llm_requests') }}

),

renamed as (

    select
        ledger_id,
        request_id,
        run_id,
        call_id,
        call_date,
        dimension,
        model,
        mode as request_mode,
        status as request_status,
        status in ('ok', 'repair') as is_successful,
        attempt,
        input_tokens,
        output_tokens,
        cache_creation_input_tokens,
        cache_read_input_tokens,
        cost_usd,
        latency_ms,
        error,
        requested_at
    from source

)

select * from renamed
