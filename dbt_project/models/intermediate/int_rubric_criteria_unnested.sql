with

rubrics as (

    select * from {{ ref('stg_coaching__rubrics') }}

),

criteria as (

    select
        rubrics.dimension,
        rubrics.rubric_version,
        criterion.value ->> 'id' as criterion_id,
        criterion.value ->> 'name' as criterion_name,
        criterion.value ->> 'description' as criterion_description,
        cast(criterion.value ->> 'weight' as numeric(6, 3)) as criterion_weight,
        criterion.value -> 'applies_to' as applies_to,
        criterion.value -> 'drills' as drills
    from rubrics
    cross join lateral {{ json_array_elements('rubrics.criteria') }} as criterion (value)

)

select * from criteria
