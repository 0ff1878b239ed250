{#- Cost and cache health per day (in COACHING_TIMEZONE). A table: requests for one call date are made on
    many days (backfills, retries), so the call-date partition window cannot bound it. Failures and
    deferrals are those still outstanding, on the day they were last recorded (rows clear on success). -#}
with

requests as (

    select * from {{ ref('stg_coaching__llm_requests') }}

),

cache_events as (

    select * from {{ ref('stg_coaching__cache_events') }}

),

failures as (

    select * from {{ ref('stg_coaching__analysis_failures') }}

),

analyses as (

    select * from {{ ref('stg_coaching__call_analyses') }}

),

daily_requests as (

    select
        {{ local_date('requested_at') }} as activity_date,
        count(*) as request_count,
        sum(case when is_successful then 0 else 1 end) as failed_request_count,
        sum(case when request_mode = 'batch' then 1 else 0 end) as batch_request_count,
        sum(case when request_mode = 'offline' then 1 else 0 end) as offline_request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_creation_input_tokens) as cache_creation_input_tokens,
        sum(cache_read_input_tokens) as cache_read_input_tokens,
        sum(cost_usd) as cost_usd
    from requests
    group by 1

),

daily_cache as (

    select
        {{ local_date('occurred_at') }} as activity_date,
        count(*) as cache_lookup_count,
        sum(case when is_hit then 1 else 0 end) as cache_hit_count,
        sum(case when is_hit then 0 else 1 end) as cache_miss_count,
        sum(saved_usd) as saved_usd
    from cache_events
    group by 1

),

daily_failures as (

    select
        {{ local_date('recorded_at') }} as activity_date,
        sum(case when is_deferred then 0 else 1 end) as failed_analysis_count,
        sum(case when is_deferred then 1 else 0 end) as deferred_analysis_count
    from failures
    group by 1

),

daily_analyses as (

    select
        {{ local_date('analyzed_at') }} as activity_date,
        count(*) as analysis_count,
        sum(unverified_quote_count) as unverified_quote_count
    from analyses
    group by 1

),

days as (

    select activity_date from daily_requests
    union
    select activity_date from daily_cache
    union
    select activity_date from daily_failures
    union
    select activity_date from daily_analyses

),

final as (

    select
        days.activity_date,
        coalesce(daily_requests.request_count, 0) as request_count,
        coalesce(daily_requests.failed_request_count, 0) as failed_request_count,
        coalesce(daily_requests.batch_request_count, 0) as batch_request_count,
        coalesce(daily_requests.offline_request_count, 0) as offline_request_count,
        coalesce(daily_requests.input_tokens, 0) as input_tokens,
        coalesce(daily_requests.output_tokens, 0) as output_tokens,
        coalesce(daily_requests.cache_creation_input_tokens, 0) as cache_creation_input_tokens,
        coalesce(daily_requests.cache_read_input_tokens, 0) as cache_read_input_tokens,
        coalesce(daily_requests.cost_usd, 0) as cost_usd,
        coalesce(daily_cache.cache_lookup_count, 0) as cache_lookup_count,
        coalesce(daily_cache.cache_hit_count, 0) as cache_hit_count,
        coalesce(daily_cache.cache_miss_count, 0) as cache_miss_count,
        cast(daily_cache.cache_hit_count as numeric)
        / nullif(daily_cache.cache_lookup_count, 0) as cache_hit_rate,
        coalesce(daily_cache.saved_usd, 0) as saved_usd,
        coalesce(daily_analyses.analysis_count, 0) as analysis_count,
        coalesce(daily_analyses.unverified_quote_count, 0) as unverified_quote_count,
        coalesce(daily_failures.failed_analysis_count, 0) as failed_analysis_count,
        coalesce(daily_failures.deferred_analysis_count, 0) as deferred_analysis_count
    from days
    left join daily_requests
        on days.activity_date = daily_requests.activity_date
    left join daily_cache
        on days.activity_date = daily_cache.activity_date
    left join daily_failures
        on days.activity_date = daily_failures.activity_date
    left join daily_analyses
        on days.activity_date = daily_analyses.activity_date

)

select * from final
