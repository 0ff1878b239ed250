{#- coaching.call_analyses is declared once per dimension (each its own Dagster asset) and unioned here. -#}
with

discovery as (

    select * from {{ source('coaching', 'discovery_analyses') }}
    where dimension = 'discovery'

),

product_knowledge as (

    select * from {{ source('coaching', 'product_knowledge_analyses') }}
    where dimension = 'product_knowledge'

),

objection_handling as (

    select * from {{ source('coaching', 'objection_handling_analyses') }}
    where dimension = 'objection_handling'

),

engagement as (

    select * from {{ source('coaching', 'engagement_analyses') }}
    where dimension = 'engagement'

),

unioned as (

    select * from discovery
    union all
    select * from product_knowledge
    union all
    select * from objection_handling
    union all
    select * from engagement

),

renamed as (

    select
        call_id,
        dimension,
        rubric_version,
        {{ rubric_version_number('rubric_version') }} as rubric_version_number,
        prompt_version,
        model as analyzer_model,
        analyzer,
        analyzer = 'offline' as is_offline_analyzer,
        cache_key,
        transcript_sha256,
        call_date,
        rep_user_id,
        overall_score,
        criterion_scores,
        strengths,
        improvements,
        evidence,
        evidence_count,
        unverified_quote_count,
        analyzed_at
    from unioned

)

select * from renamed
