{#- Cost and cache health per day (in COACHING_TIMEZONE). A table summing int_llm_activity_by_call_date,
    which the daily partitions keep up to date by call date: requests for one call are made on many days
    (backfills, retries), so a day's totals span many partitions, and a rebuild reads a few rows per day,
    not the ledger. Failures and deferrals are those still outstanding, on the day they were last recorded
    (rows clear on success). -#}
with

activity as (

    select * from {{ ref('int_llm_activity_by_call_date') }}

),

daily as (

    select
        activity_date,
        cast(sum(request_count) as bigint) as request_count,
        cast(sum(failed_request_count) as bigint) as failed_request_count,
        cast(sum(batch_request_count) as bigint) as batch_request_count,
        cast(sum(offline_request_count) as bigint) as offline_request_count,
        cast(sum(input_tokens) as bigint) as input_tokens,
        cast(sum(output_tokens) as bigint) as output_tokens,
        cast(sum(cache_creation_input_tokens) as bigint) as cache_creation_input_tokens,
        cast(sum(cache_read_input_tokens) as bigint) as cache_read_input_tokens,
        {{ as_usd('sum(cost_usd)') }} as cost_usd,
        cast(sum(cache_lookup_count) as bigint) as cache_lookup_count,
        cast(sum(cache_hit_count) as bigint) as cache_hit_count,
        cast(sum(cache_miss_count) as bigint) as cache_miss_count,
        {{ as_usd('sum(saved_usd)') }} as saved_usd,
        cast(sum(analysis_count) as bigint) as analysis_count,
        cast(sum(unverified_quote_count) as bigint) as unverified_quote_count,
        cast(sum(failed_analysis_count) as bigint) as failed_analysis_count,
        cast(sum(deferred_analysis_count) as bigint) as deferred_analysis_count
    from activity
    group by activity_date

),

final as (

    select
        activity_date,
        request_count,
        failed_request_count,
        batch_request_count,
        offline_request_count,
        input_tokens,
        output_tokens,
        cache_creation_input_tokens,
        cache_read_input_tokens,
        cost_usd,
        cache_lookup_count,
        cache_hit_count,
        cache_miss_count,
        {{ as_ratio('cast(cache_hit_count as numeric) / nullif(cache_lookup_count, 0)') }} as cache_hit_rate,
        saved_usd,
        analysis_count,
        unverified_quote_count,
        failed_analysis_count,
        deferred_analysis_count
    from daily

)

select * from final
