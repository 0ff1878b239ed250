{#- Incremental strategy `replace_window` (a custom strategy, as dbt documents them): delete every target row
    inside the model's partition window, then insert the freshly built rows. Unlike delete+insert on a unique
    key, rows that vanished from the sources inside the window vanish from the mart too, so re-running a
    partition equals a full refresh of it. The window is the model's meta.partition_window: {column,
    snap_to_weeks, weeks_before, weeks_after, include_null}. -#}

{% macro get_incremental_replace_window_sql(arg_dict) %}
    {{ return(adapter.dispatch('get_incremental_replace_window_sql', 'coaching')(arg_dict)) }}
{% endmacro %}

{% macro default__get_incremental_replace_window_sql(arg_dict) %}
    {%- set column_list = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ model_partition_window() }};

    insert into {{ arg_dict['target_relation'] }} ({{ column_list }})
    select {{ column_list }}
    from {{ arg_dict['temp_relation'] }}
{% endmacro %}

{#- The model's partition window as a predicate, from its meta.partition_window. -#}
{% macro model_partition_window() %}
    {%- set window = (config.get('meta') or {}).get('partition_window') -%}
    {%- if not window -%}
        {{ exceptions.raise_compiler_error("replace_window needs meta.partition_window on " ~ this) }}
    {%- endif -%}
    {{ return(in_partition_window(**window)) }}
{% endmacro %}
