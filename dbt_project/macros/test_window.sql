{#- Data tests of an incremental mart look only at its partition window during a partition run (the rows
    that run wrote), so a day's build stays small; a build without vars or with --full-refresh tests every
    row. Overrides dbt's get_where_subquery, the documented hook for test `where` filters. -#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- if config.get('where') -%}
        {%- do filters.append(config.get('where')) -%}
    {%- endif -%}
    {%- set window = tested_partition_window(relation) -%}
    {%- if window and not flags.FULL_REFRESH and partition_window_bounds() is not none -%}
        {%- do filters.append(in_partition_window(**window)) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ filters | join(' and ') }}) as dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro tested_partition_window(relation) -%}
    {%- if not execute -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- for unique_id in model.depends_on.nodes -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node and node.alias == relation.identifier and node.schema == relation.schema -%}
            {%- do return((node.config.meta or {}).get('partition_window')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{%- endmacro %}
