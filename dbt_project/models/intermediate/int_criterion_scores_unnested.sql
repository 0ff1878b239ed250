with

analyses as (

    select * from {{ ref('int_call_analyses_joined') }}

),

criteria as (

    select * from {{ ref('int_rubric_criteria_unnested') }}

),

unnested as (

    select
        analyses.call_id,
        analyses.dimension,
        analyses.rubric_version,
        criterion.value ->> 'criterion_id' as criterion_id,
        cast(criterion.value ->> 'score' as integer) as criterion_score,
        criterion.value ->> 'rationale' as rationale,
        analyses.call_date,
        analyses.week_start,
        analyses.rep_user_id,
        analyses.rep_name,
        analyses.team,
        analyses.rep_role,
        analyses.call_type,
        analyses.call_url,
        analyses.is_offline_analyzer
    from analyses
    cross join lateral {{ json_array_elements('analyses.criterion_scores') }} as criterion (value)

),

named as (

    select
        unnested.*,
        criteria.criterion_name,
        criteria.criterion_weight
    from unnested
    left join criteria
        on
            unnested.dimension = criteria.dimension
            and unnested.rubric_version = criteria.rubric_version
            and unnested.criterion_id = criteria.criterion_id

)

select * from named
