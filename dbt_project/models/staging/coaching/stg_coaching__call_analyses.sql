{#- coaching.call_analyses holds the analyses of all four dimensions, each written by its own Dagster asset
    and declared as its own source (same table, one dimension each), so the lineage shows which asset feeds
    the marts: each branch reads its source's rows only. -#}
{%- set dimensions = ['discovery', 'product_knowledge', 'objection_handling', 'engagement'] -%}
{% for dimension in dimensions %}
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
    from {{ source('coaching', dimension ~ '_analyses') }}
    where dimension = '{{ dimension }}'
    {% if not loop.last %}union all{% endif %}
{% endfor %}
