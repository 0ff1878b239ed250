{#- The pipeline's health per day (in COACHING_TIMEZONE): runs started, succeeded and failed, alerts, work
    deferred and resumed, breaker openings, Gong back-offs and Postgres retries from coaching.pipeline_events,
    beside the analyses still failed or deferred (coaching.analysis_failures, on the day last recorded). A
    table rebuilt by every run: the event log holds a few rows a day. -#}
with

events as (

    select * from {{ ref('stg_coaching__pipeline_events') }}

),

failures as (

    select * from {{ ref('stg_coaching__analysis_failures') }}

),

events_by_day as (

    select
        {{ local_date('occurred_at') }} as activity_date,
        sum(case when event_kind = 'run_started' then 1 else 0 end) as run_started_count,
        sum(case when event_kind = 'run_succeeded' then 1 else 0 end) as run_succeeded_count,
        sum(case when event_kind = 'run_failed' then 1 else 0 end) as run_failed_count,
        sum(case when event_kind = 'alert_sent' then 1 else 0 end) as alert_sent_count,
        sum(case when event_kind = 'alert_failed' then 1 else 0 end) as alert_failed_count,
        sum(case when event_kind = 'work_deferred' then 1 else 0 end) as work_deferred_count,
        sum(case when event_kind = 'work_resumed' then 1 else 0 end) as work_resumed_count,
        sum(case when event_kind = 'breaker_opened' then 1 else 0 end) as breaker_opened_count,
        sum(case when event_kind = 'breaker_closed' then 1 else 0 end) as breaker_closed_count,
        sum(case when event_kind = 'gong_backoff' then 1 else 0 end) as gong_backoff_count,
        sum(case when event_kind = 'postgres_retry' then 1 else 0 end) as postgres_retry_count
    from events
    group by 1

),

failures_by_day as (

    select
        {{ local_date('recorded_at') }} as activity_date,
        sum(case when is_deferred then 0 else 1 end) as failed_analysis_count,
        sum(case when is_deferred then 1 else 0 end) as deferred_analysis_count
    from failures
    group by 1

),

days as (

    select activity_date from events_by_day
    union
    select activity_date from failures_by_day

),

final as (

    select
        days.activity_date,
        cast(coalesce(events_by_day.run_started_count, 0) as bigint) as run_started_count,
        cast(coalesce(events_by_day.run_succeeded_count, 0) as bigint) as run_succeeded_count,
        cast(coalesce(events_by_day.run_failed_count, 0) as bigint) as run_failed_count,
        cast(coalesce(events_by_day.alert_sent_count, 0) as bigint) as alert_sent_count,
        cast(coalesce(events_by_day.alert_failed_count, 0) as bigint) as alert_failed_count,
        cast(coalesce(events_by_day.work_deferred_count, 0) as bigint) as work_deferred_count,
        cast(coalesce(events_by_day.work_resumed_count, 0) as bigint) as work_resumed_count,
        cast(coalesce(events_by_day.breaker_opened_count, 0) as bigint) as breaker_opened_count,
        cast(coalesce(events_by_day.breaker_closed_count, 0) as bigint) as breaker_closed_count,
        cast(coalesce(events_by_day.gong_backoff_count, 0) as bigint) as gong_backoff_count,
        cast(coalesce(events_by_day.postgres_retry_count, 0) as bigint) as postgres_retry_count,
        cast(coalesce(failures_by_day.failed_analysis_count, 0) as bigint) as failed_analysis_count,
        cast(coalesce(failures_by_day.deferred_analysis_count, 0) as bigint) as deferred_analysis_count
    from days
    left join events_by_day
        on days.activity_date = events_by_day.activity_date
    left join failures_by_day
        on days.activity_date = failures_by_day.activity_date

)

select * from final
