{#- Post-hook for incremental marts keyed by rubric version: when a dimension's current rubric version
    changes, rows scored against older versions leave the mart at once (a full refresh would not rebuild
    them either), so trends never mix scales. Joins on (dimension, rubric_version), which large marts index. -#}
{% macro delete_stale_rubric_versions() %}
    delete from {{ this }} as target
    using {{ ref('int_rubric_versions_ranked') }} as versions
    where
        not versions.is_current
        and target.dimension = versions.dimension
        and target.rubric_version = versions.rubric_version
{% endmacro %}
