{#- The Dagster partition window: the vars min_date and max_date (inclusive ISO dates), which Dagster's
    coaching_dbt_assets passes as `dbt build --vars '{"min_date": ..., "max_date": ...}'`. Incremental models
    read and replace only the rows inside the window; with neither var set they reprocess everything, so a
    plain `dbt build` is always correct, only slower. -#}

{% macro partition_window_bounds(snap_to_weeks=false, weeks_before=0, weeks_after=0) %}
    {%- set low = var('min_date', none) -%}
    {%- set high = var('max_date', none) -%}
    {%- if low is none and high is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if low is none or high is none -%}
        {{ exceptions.raise_compiler_error("set both vars min_date and max_date, or neither") }}
    {%- endif -%}
    {%- set datetime = modules.datetime -%}
    {%- set start = datetime.date.fromisoformat(low | string) -%}
    {%- set end = datetime.date.fromisoformat(high | string) -%}
    {%- if end < start -%}
        {{ exceptions.raise_compiler_error("max_date " ~ end ~ " is before min_date " ~ start) }}
    {%- endif -%}
    {%- if snap_to_weeks -%}
        {%- set start = start - datetime.timedelta(days=start.weekday() + 7 * weeks_before) -%}
        {%- set end = end - datetime.timedelta(days=end.weekday()) + datetime.timedelta(days=7 * weeks_after + 6) -%}
    {%- endif -%}
    {{ return([start, end]) }}
{% endmacro %}

{#- A predicate on a date column: inside the partition window, optionally widened to whole ISO weeks plus
    weeks before (inputs of rolling windows) and after (weeks whose rolling values the window changes).
    include_null adds the rows whose column is null: they belong to no partition, so every run rebuilds them. -#}
{% macro in_partition_window(column, snap_to_weeks=false, weeks_before=0, weeks_after=0, include_null=false) %}
    {%- set bounds = partition_window_bounds(snap_to_weeks, weeks_before, weeks_after) -%}
    {%- if bounds is none -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    {%- set predicate = column ~ " between cast('" ~ bounds[0] ~ "' as date) and cast('" ~ bounds[1] ~ "' as date)" -%}
    {%- if include_null -%}
        {{ return("(" ~ predicate ~ " or " ~ column ~ " is null)") }}
    {%- endif -%}
    {{ return(predicate) }}
{% endmacro %}
