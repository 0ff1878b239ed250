{#- Every non-null value lies within [min_value, max_value] (bounds optional, exclusive when inclusive=false). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {%- set op = '=' if inclusive else '' -%}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
        and not (
            1 = 1
            {%- if min_value is not none %}
            and {{ column_name }} >{{ op }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
            and {{ column_name }} <{{ op }} {{ max_value }}
            {%- endif %}
        )
{% endtest %}
