{#- coaching.rubrics is the authority on versions: the analysis assets load it before they score a call.
    A table, because every incremental mart and post-hook reads it; reference data, so Dagster rebuilds it
    when the rubrics change rather than in every daily partition run (coaching_pipeline/defs/dbt.py). -#}
{{ config(materialized='table') }}

with

rubrics as (

    select * from {{ ref('stg_coaching__rubrics') }}

),

ranked as (

    select
        dimension,
        rubric_version,
        rubric_version_number,
        rubric_title,
        row_number() over (
            partition by dimension
            order by rubric_version_number desc nulls last, rubric_version desc
        ) as version_rank
    from rubrics

),

final as (

    select
        dimension,
        rubric_version,
        rubric_version_number,
        rubric_title,
        version_rank,
        version_rank = 1 as is_current
    from ranked

)

select * from final
