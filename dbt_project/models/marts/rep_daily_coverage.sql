{#- What became of every call recorded from Gong, per rep (the call's primary user) and call date: each call
    counts once, in the first status that holds: waiting for a transcript, invalid transcript, analysed
    (every dimension that has a current rubric stored; int_call_analyses_joined keeps current versions
    only), skipped (by reason), failed, deferred, or awaiting analysis. A call analysed before its scope
    was excluded stays analysed: its scores are in the marts. -#}
{%- set window = {'column': 'call_date'} -%}
{{
    config(
        materialized='incremental',
        meta={'partition_window': window},
        indexes=[{'columns': ['call_date']}],
    )
}}

with

calls as (

    select * from {{ ref('stg_gong__calls') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

analyses as (

    select * from {{ ref('int_call_analyses_joined') }}
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

skips as (

    select * from {{ ref('stg_coaching__analysis_skips') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

issues as (

    select * from {{ ref('stg_gong__ingestion_issues') }}
    {% if is_incremental() -%}
        where {{ in_partition_window(**window) }}
    {%- endif %}

),

current_versions as (

    select * from {{ ref('int_rubric_versions_ranked') }}
    where is_current

),

users as (

    select * from {{ ref('stg_gong__users') }}

),

unidentified_speakers as (

    select call_id from issues
    where is_warning and reason = 'unidentified_speaker'

),

dimension_count as (

    select count(*) as dimensions from current_versions

),

analysed_calls as (

    select
        call_id,
        count(*) as dimensions
    from analyses
    group by call_id

),

failed_calls as (

    select
        failures.call_id,
        max(case when failures.is_deferred then 0 else 1 end) = 1 as has_failure,
        max(case when failures.is_deferred then 1 else 0 end) = 1 as has_deferral
    from failures
    inner join current_versions
        on
            failures.dimension = current_versions.dimension
            and failures.rubric_version = current_versions.rubric_version
    group by failures.call_id

),

call_statuses as (

    select
        calls.call_id,
        calls.call_date,
        coalesce(calls.primary_user_id, 'unassigned') as rep_user_id,
        skips.skip_reason,
        unidentified_speakers.call_id is not null as has_unidentified_speaker,
        case
            when calls.transcript_status = 'pending' then 'waiting_for_transcript'
            when calls.transcript_status = 'invalid' then 'invalid_transcript'
            when analysed_calls.dimensions >= dimension_count.dimensions then 'analysed'
            when skips.call_id is not null then 'skipped'
            when failed_calls.has_failure then 'failed'
            when failed_calls.has_deferral then 'deferred'
            else 'awaiting_analysis'
        end as coverage_status
    from calls
    cross join dimension_count
    left join analysed_calls
        on calls.call_id = analysed_calls.call_id
    left join skips
        on calls.call_id = skips.call_id
    left join failed_calls
        on calls.call_id = failed_calls.call_id
    left join unidentified_speakers
        on calls.call_id = unidentified_speakers.call_id

),

aggregated as (

    select
        rep_user_id,
        call_date,
        count(*) as recorded_call_count,
        sum(case when coverage_status = 'analysed' then 1 else 0 end) as analysed_call_count,
        sum(case when coverage_status = 'skipped' then 1 else 0 end) as skipped_call_count,
        sum(
            case when coverage_status = 'skipped' and skip_reason = 'internal_scope' then 1 else 0 end
        ) as skipped_internal_scope_count,
        sum(
            case
                when coverage_status = 'skipped' and skip_reason = 'no_external_participant' then 1 else 0
            end
        ) as skipped_no_external_participant_count,
        sum(
            case when coverage_status = 'skipped' and skip_reason = 'excluded_scope' then 1 else 0 end
        ) as skipped_excluded_scope_count,
        sum(case when coverage_status = 'failed' then 1 else 0 end) as failed_call_count,
        sum(case when coverage_status = 'deferred' then 1 else 0 end) as deferred_call_count,
        sum(
            case when coverage_status = 'awaiting_analysis' then 1 else 0 end
        ) as awaiting_analysis_call_count,
        sum(
            case when coverage_status = 'waiting_for_transcript' then 1 else 0 end
        ) as waiting_for_transcript_call_count,
        sum(
            case when coverage_status = 'invalid_transcript' then 1 else 0 end
        ) as invalid_transcript_call_count,
        sum(case when has_unidentified_speaker then 1 else 0 end) as unidentified_speaker_call_count
    from call_statuses
    group by rep_user_id, call_date

),

final as (

    select
        aggregated.rep_user_id,
        aggregated.call_date,
        {{ week_start('aggregated.call_date') }} as week_start,
        users.full_name as rep_name,
        coalesce(users.team, 'Unassigned') as team,
        coalesce(users.user_role, 'UNKNOWN') as rep_role,
        aggregated.recorded_call_count,
        aggregated.analysed_call_count,
        aggregated.skipped_call_count,
        aggregated.skipped_internal_scope_count,
        aggregated.skipped_no_external_participant_count,
        aggregated.skipped_excluded_scope_count,
        aggregated.failed_call_count,
        aggregated.deferred_call_count,
        aggregated.awaiting_analysis_call_count,
        aggregated.waiting_for_transcript_call_count,
        aggregated.invalid_transcript_call_count,
        aggregated.unidentified_speaker_call_count,
        {{ as_ratio(
            "1.0 * aggregated.analysed_call_count"
            ~ " / nullif(aggregated.recorded_call_count - aggregated.skipped_call_count, 0)"
        ) }} as analysed_share
    from aggregated
    left join users
        on aggregated.rep_user_id = users.user_id

)

select * from final
