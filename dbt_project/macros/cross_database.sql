{#- SQL that differs between warehouses, dispatched by adapter (postgres__ here; add <adapter>__ to port). -#}

{% macro percentile(expression, fraction) %}
    {{ return(adapter.dispatch('percentile', 'coaching')(expression, fraction)) }}
{% endmacro %}

{% macro postgres__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro week_start(date_expression) %}
    {{ return(adapter.dispatch('week_start', 'coaching')(date_expression)) }}
{% endmacro %}

{% macro postgres__week_start(date_expression) -%}
    cast(date_trunc('week', {{ date_expression }}) as date)
{%- endmacro %}

{% macro iso_year(date_expression) %}
    {{ return(adapter.dispatch('iso_year', 'coaching')(date_expression)) }}
{% endmacro %}

{% macro postgres__iso_year(date_expression) -%}
    cast(extract(isoyear from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro iso_week(date_expression) %}
    {{ return(adapter.dispatch('iso_week', 'coaching')(date_expression)) }}
{% endmacro %}

{% macro postgres__iso_week(date_expression) -%}
    cast(extract(week from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro trailing_days_frame(order_column, days) %}
    {{ return(adapter.dispatch('trailing_days_frame', 'coaching')(order_column, days)) }}
{% endmacro %}

{% macro postgres__trailing_days_frame(order_column, days) -%}
    order by {{ order_column }} range between interval '{{ days }} days' preceding and current row
{%- endmacro %}

{% macro local_date(timestamp_expression) %}
    {{ return(adapter.dispatch('local_date', 'coaching')(timestamp_expression)) }}
{% endmacro %}

{% macro postgres__local_date(timestamp_expression) -%}
    cast(({{ timestamp_expression }} at time zone '{{ var("timezone") }}') as date)
{%- endmacro %}

{% macro json_array_elements(json_expression) %}
    {{ return(adapter.dispatch('json_array_elements', 'coaching')(json_expression)) }}
{% endmacro %}

{% macro postgres__json_array_elements(json_expression) -%}
    jsonb_array_elements(case when jsonb_typeof({{ json_expression }}) = 'array' then {{ json_expression }} end)
{%- endmacro %}

{% macro rubric_version_number(version_expression) %}
    {{ return(adapter.dispatch('rubric_version_number', 'coaching')(version_expression)) }}
{% endmacro %}

{% macro postgres__rubric_version_number(version_expression) -%}
    cast(substring({{ version_expression }} from '^v([0-9]+)$') as integer)
{%- endmacro %}

{#- The date `weeks` whole weeks before a date expression (a benchmark window's first week). -#}
{% macro weeks_before(date_expression, weeks) -%}
    cast({{ dbt.dateadd('day', -7 * weeks, date_expression) }} as date)
{%- endmacro %}

{#- The first week of the benchmark window (the latest `benchmark_weeks` ISO weeks) ending in a week start. -#}
{% macro benchmark_window_start(week_start_expression) -%}
    {{ weeks_before(week_start_expression, var('benchmark_weeks') - 1) }}
{%- endmacro %}

{#- Share of rows where a boolean is true, ignoring nulls (null when every row is null). -#}
{% macro share_true(boolean_expression) -%}
    avg(case when {{ boolean_expression }} then 1.0 when not {{ boolean_expression }} then 0.0 end)
{%- endmacro %}

{#- A pre-hook for a model whose filter bound Postgres cannot see when planning (a scalar subquery): the
    misestimate can push it over the JIT threshold and compiling then costs more than the query. Postgres
    only, and only for the model's own transaction. -#}
{% macro without_jit() %}
    {{ return(adapter.dispatch('without_jit', 'coaching')()) }}
{% endmacro %}

{% macro default__without_jit() -%}
{%- endmacro %}

{% macro postgres__without_jit() -%}
    set local jit = off
{%- endmacro %}

{#- A post-hook that gives a model an index on exactly `columns` unless it has one. dbt's `indexes` config
    applies only when it creates the table, so an index added to an incremental mart later would never reach
    a warehouse built before; this one does, at the cost of one catalog lookup per run. -#}
{% macro ensure_index(columns) %}
    {{ return(adapter.dispatch('ensure_index', 'coaching')(columns)) }}
{% endmacro %}

{% macro postgres__ensure_index(columns) -%}
    {%- set relation = this.include(database=false) -%}
    {%- set wanted = "array['" ~ (columns | join("', '")) ~ "']" -%}
    do $$
    begin
        if not exists (
            select 1
            from pg_index as i
            where
                i.indrelid = '{{ relation }}'::regclass
                and (
                    select array_agg(a.attname::text order by k.position)
                    from unnest(i.indkey::int2 []) with ordinality as k (attnum, position)
                    inner join pg_attribute as a on a.attrelid = i.indrelid and a.attnum = k.attnum
                ) = {{ wanted }}
        ) then
            create index on {{ relation }} ({{ columns | join(', ') }});
        end if;
    end
    $$
{%- endmacro %}

{#- A post-hook: a table dbt has just written in full (every `table` model on each build; an incremental one
    on a build without a partition window: a full refresh, a first build, a plain `dbt build`) gets planner
    statistics at once instead of whenever autovacuum comes by. The models and hooks later in the same build
    read these tables, and without statistics Postgres plans, for instance, the stale-rubric delete as a
    JIT-compiled scan of the whole criterion-score mart (30-130 ms) instead of a 1 ms index probe.
    Partition runs change a day of an incremental mart's rows and skip it there. -#}
{% macro analyze_rewritten_table() %}
    {{ return(adapter.dispatch('analyze_rewritten_table', 'coaching')()) }}
{% endmacro %}

{% macro default__analyze_rewritten_table() -%}
{%- endmacro %}

{% macro postgres__analyze_rewritten_table() -%}
    {%- set materialized = model.config.materialized -%}
    {%- if materialized == 'table' or (materialized == 'incremental' and partition_window_bounds() is none) -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
