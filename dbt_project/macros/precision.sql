{#- The precision every mart publishes, in one place: values are rounded where they leave a mart, to what a
    reader needs (docs/marts.md, "Precision"), and the contracts declare the same types, so the tables
    themselves bound the precision (a value with more decimals is rounded on insert). -#}

{#- A score on the rubrics' 1-5 scale, or a difference of two: 2 decimals. -#}
{% macro as_score(expression) -%}
    cast({{ expression }} as numeric(4, 2))
{%- endmacro %}

{#- A ratio, share, rate or percentile between 0 and 1 (or a difference of two): 4 decimals. -#}
{% macro as_ratio(expression) -%}
    cast({{ expression }} as numeric(5, 4))
{%- endmacro %}

{#- A measured quantity (seconds, an average count, a sum of scores): 2 decimals. -#}
{% macro as_measure(expression) -%}
    cast({{ expression }} as numeric(12, 2))
{%- endmacro %}

{#- US dollars, to the ledger's micro-dollar. -#}
{% macro as_usd(expression) -%}
    cast({{ expression }} as numeric(14, 6))
{%- endmacro %}
