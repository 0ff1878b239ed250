{#- Every rep and day with calls in raw.calls has a rep_daily_coverage row whose statuses add up to those
    calls, and no row counts calls that are not there; during a partition run, for the run's window.
    Attached to the mart for Dagster (meta.dagster.ref), as a check of marts/rep_daily_coverage. -#}
{{ config(meta={'dagster': {'ref': {'name': 'rep_daily_coverage'}}}) }}

with

recorded as (

    select
        coalesce(primary_user_id, 'unassigned') as rep_user_id,
        call_date,
        count(*) as call_count
    from {{ ref('stg_gong__calls') }}
    where {{ in_partition_window('call_date') }}
    group by 1, 2

),

coverage as (

    select * from {{ ref('rep_daily_coverage') }}
    where {{ in_partition_window('call_date') }}

)

select
    coalesce(recorded.rep_user_id, coverage.rep_user_id) as rep_user_id,
    coalesce(recorded.call_date, coverage.call_date) as call_date,
    recorded.call_count,
    coverage.recorded_call_count,
    coverage.analysed_call_count + coverage.skipped_call_count + coverage.failed_call_count
    + coverage.deferred_call_count + coverage.awaiting_analysis_call_count
    + coverage.waiting_for_transcript_call_count + coverage.invalid_transcript_call_count as status_sum
from recorded
full outer join coverage
    on
        recorded.rep_user_id = coverage.rep_user_id
        and recorded.call_date = coverage.call_date
where
    recorded.call_count is distinct from coverage.recorded_call_count
    or coverage.recorded_call_count is distinct from (
        coverage.analysed_call_count + coverage.skipped_call_count + coverage.failed_call_count
        + coverage.deferred_call_count + coverage.awaiting_analysis_call_count
        + coverage.waiting_for_transcript_call_count + coverage.invalid_transcript_call_count
    )
