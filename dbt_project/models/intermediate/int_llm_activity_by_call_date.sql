{#- What llm_daily_costs sums, per call date and day of activity (in COACHING_TIMEZONE). Keyed by the call
    the activity served, so a daily partition run rebuilds only its calls' rows although their requests,
    lookups and analyses happen on many days (backfills, retries, batches). Activity tied to no call (null
    call_date: batch submissions, polling) belongs to no partition and is rebuilt by every run. -#}
{%- set window = {'column': 'call_date', 'include_null': true} -%}
{{
    config(
        materialized='incremental',
        meta={'partition_window': window},
    )
}}

with

requests as (

    select * from {{ ref('stg_coaching__llm_requests') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

cache_events as (

    select * from {{ ref('stg_coaching__cache_events') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

failures as (

    select * from {{ ref('stg_coaching__analysis_failures') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

analyses as (

    select * from {{ ref('stg_coaching__call_analyses') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

requests_by_day as (

    select
        call_date,
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
    group by 1, 2

),

cache_by_day as (

    select
        call_date,
        {{ local_date('occurred_at') }} as activity_date,
        count(*) as cache_lookup_count,
        sum(case when is_hit then 1 else 0 end) as cache_hit_count,
        sum(case when is_hit then 0 else 1 end) as cache_miss_count,
        sum(saved_usd) as saved_usd
    from cache_events
    group by 1, 2

),

failures_by_day as (

    select
        call_date,
        {{ local_date('recorded_at') }} as activity_date,
        sum(case when is_deferred then 0 else 1 end) as failed_analysis_count,
        sum(case when is_deferred then 1 else 0 end) as deferred_analysis_count
    from failures
    group by 1, 2

),

analyses_by_day as (

    select
        call_date,
        {{ local_date('analyzed_at') }} as activity_date,
        count(*) as analysis_count,
        sum(unverified_quote_count) as unverified_quote_count
    from analyses
    group by 1, 2

),

activity_days as (

    select
        call_date,
        activity_date
    from requests_by_day
    union
    select
        call_date,
        activity_date
    from cache_by_day
    union
    select
        call_date,
        activity_date
    from failures_by_day
    union
    select
        call_date,
        activity_date
    from analyses_by_day

),

final as (

    select
        activity_days.call_date,
        activity_days.activity_date,
        coalesce(requests_by_day.request_count, 0) as request_count,
        coalesce(requests_by_day.failed_request_count, 0) as failed_request_count,
        coalesce(requests_by_day.batch_request_count, 0) as batch_request_count,
        coalesce(requests_by_day.offline_request_count, 0) as offline_request_count,
        coalesce(requests_by_day.input_tokens, 0) as input_tokens,
        coalesce(requests_by_day.output_tokens, 0) as output_tokens,
        coalesce(requests_by_day.cache_creation_input_tokens, 0) as cache_creation_input_tokens,
        coalesce(requests_by_day.cache_read_input_tokens, 0) as cache_read_input_tokens,
        {{ as_usd('coalesce(requests_by_day.cost_usd, 0)') }} as cost_usd,
        coalesce(cache_by_day.cache_lookup_count, 0) as cache_lookup_count,
        coalesce(cache_by_day.cache_hit_count, 0) as cache_hit_count,
        coalesce(cache_by_day.cache_miss_count, 0) as cache_miss_count,
        {{ as_usd('coalesce(cache_by_day.saved_usd, 0)') }} as saved_usd,
        coalesce(analyses_by_day.analysis_count, 0) as analysis_count,
        coalesce(analyses_by_day.unverified_quote_count, 0) as unverified_quote_count,
        coalesce(failures_by_day.failed_analysis_count, 0) as failed_analysis_count,
        coalesce(failures_by_day.deferred_analysis_count, 0) as deferred_analysis_count
    from activity_days
    left join requests_by_day
        on
            activity_days.call_date is not distinct from requests_by_day.call_date
            and activity_days.activity_date = requests_by_day.activity_date
    left join cache_by_day
        on
            activity_days.call_date is not distinct from cache_by_day.call_date
            and activity_days.activity_date = cache_by_day.activity_date
    left join failures_by_day
        on
            activity_days.call_date is not distinct from failures_by_day.call_date
            and activity_days.activity_date = failures_by_day.activity_date
    left join analyses_by_day
        on
            activity_days.call_date is not distinct from analyses_by_day.call_date
            and activity_days.activity_date = analyses_by_day.activity_date

)

select * from final
