{#- coaching.rubrics is the authority on versions; only a warehouse with no rubric loaded at all falls back
    to the versions its analyses name (the uncorrelated not-exists skips that scan otherwise). A table,
    because every incremental mart and post-hook reads it. -#}
{{ config(materialized='table') }}

with

rubrics as (

    select * from {{ ref('stg_coaching__rubrics') }}

),

analysed_versions as (

    select distinct
        dimension,
        rubric_version,
        rubric_version_number
    from {{ ref('stg_coaching__call_analyses') }}
    where not exists (select 1 from {{ ref('stg_coaching__rubrics') }})

),

versions as (

    select
        dimension,
        rubric_version,
        rubric_version_number,
        rubric_title,
        true as is_loaded
    from rubrics
    union all
    select
        dimension,
        rubric_version,
        rubric_version_number,
        null as rubric_title,
        false as is_loaded
    from analysed_versions

),

ranked as (

    select
        *,
        row_number() over (
            partition by dimension
            order by rubric_version_number desc nulls last, rubric_version desc
        ) as version_rank
    from versions

),

final as (

    select
        dimension,
        rubric_version,
        rubric_version_number,
        rubric_title,
        is_loaded,
        version_rank,
        version_rank = 1 as is_current
    from ranked

)

select * from final
