{#- coaching.call_analyses is declared once per dimension, each its own Dagster asset, so the lineage shows
    which analyses feed the marts. All four sources name that one table, so it is read once: a union of four
    filtered copies scanned it four times and, as a UNION ALL has no column statistics, made Postgres
    estimate every join on (dimension, rubric_version) at one row and plan the calls and reps joins of a
    day's marts as full scans. The `do` lines register the other three sources as dependencies. -#}
{%- do source('coaching', 'product_knowledge_analyses') -%}
{%- do source('coaching', 'objection_handling_analyses') -%}
{%- do source('coaching', 'engagement_analyses') %}
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
from {{ source('coaching', 'discovery_analyses') }}
where dimension in ('discovery', 'product_knowledge', 'objection_handling', 'engagement')
