{#- Postgres stand-ins for the project's macros, used only when sqlfluff lints with its jinja templater (no
    warehouse to run the dbt templater against, see `make lint`). Not a dbt macro path. -#}

{% macro in_partition_window(column, snap_to_weeks=false, weeks_before=0, weeks_after=0, include_null=false) -%}
    {%- if include_null -%}
        ({{ column }} between cast('2026-01-01' as date) and cast('2026-01-01' as date) or {{ column }} is null)
    {%- else -%}
        {{ column }} between cast('2026-01-01' as date) and cast('2026-01-01' as date)
    {%- endif -%}
{%- endmacro %}

{% macro week_start(date_expression) -%}
    cast(date_trunc('week', {{ date_expression }}) as date)
{%- endmacro %}

{% macro iso_year(date_expression) -%}
    cast(extract(isoyear from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro iso_week(date_expression) -%}
    cast(extract(week from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro trailing_days_frame(order_column, days) -%}
    order by {{ order_column }} range between interval '{{ days }} days' preceding and current row
{%- endmacro %}

{% macro local_date(timestamp_expression) -%}
    cast(({{ timestamp_expression }} at time zone 'UTC') as date)
{%- endmacro %}

{% macro json_array_elements(json_expression) -%}
    jsonb_array_elements(case when jsonb_typeof({{ json_expression }}) = 'array' then {{ json_expression }} end)
{%- endmacro %}

{% macro rubric_version_number(version_expression) -%}
    cast(substring({{ version_expression }} from '^v([0-9]+)$') as integer)
{%- endmacro %}

{% macro weeks_before(date_expression, weeks) -%}
    cast({{ date_expression }} - interval '{{ 7 * weeks }} days' as date)
{%- endmacro %}

{% macro benchmark_window_start(week_start_expression) -%}
    cast({{ week_start_expression }} - interval '21 days' as date)
{%- endmacro %}

{% macro share_true(boolean_expression) -%}
    avg(case when {{ boolean_expression }} then 1.0 when not {{ boolean_expression }} then 0.0 end)
{%- endmacro %}

{% macro as_score(expression) -%}
    cast({{ expression }} as numeric(4, 2))
{%- endmacro %}

{% macro as_ratio(expression) -%}
    cast({{ expression }} as numeric(5, 4))
{%- endmacro %}

{% macro as_measure(expression) -%}
    cast({{ expression }} as numeric(12, 2))
{%- endmacro %}

{% macro as_usd(expression) -%}
    cast({{ expression }} as numeric(14, 6))
{%- endmacro %}
