{#- Layers land in schemas named exactly staging, intermediate and marts (not <target>_marts), so the BI
    role and the docs can name them. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
