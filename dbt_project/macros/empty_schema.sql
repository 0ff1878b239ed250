{#- dbt's contract check builds an empty select of every declared column and warns about each bare
    `numeric`, because on several warehouses that means numeric(38,0) and rounds. In PostgreSQL a bare
    numeric is exact, of any precision, which is what the marts' means and sums want; without this override
    every partition run logged nine such warnings. Otherwise the same as dbt's default__get_empty_schema_sql;
    dbt_project.yml's dispatch setting makes dbt find it first. -#}
{% macro postgres__get_empty_schema_sql(columns) %}
    {%- set col_err = [] -%}
    select
    {% for i in columns %}
        {%- set col = columns[i] -%}
        {%- if col['data_type'] is not defined -%}
            {%- do col_err.append(col['name']) -%}
        {%- endif -%}
        {% set col_name = adapter.quote(col['name']) if col.get('quote') else col['name'] %}
        {{ cast('null', col['data_type']) }} as {{ col_name }}{{ ", " if not loop.last }}
    {%- endfor -%}
    {%- if (col_err | length) > 0 -%}
        {{ exceptions.column_type_missing(column_names=col_err) }}
    {%- endif -%}
{% endmacro %}
