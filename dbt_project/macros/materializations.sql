{#- dbt's table and incremental materializations, with a short path for Dagster's partition runs: refresh
    the existing table in place.

    dbt's incremental path builds the day's rows into a temporary table, checks the model's SQL against its
    contract (two queries), looks up the columns of the temporary and the target table (two more), and only
    then deletes and inserts. Its table path checks the contract, renders a create statement with every
    column's constraints, then renames twice and drops the old table. In a one-day partition run that
    bookkeeping, about a dozen round trips and their Python per model, cost more than the models' SQL.

    The short path, taken when the table exists and its columns are its enforced contract's columns, runs
    one statement in one transaction with the model's usual hooks: delete the rows the run replaces and
    insert the model's select. An incremental replace_window model replaces its partition window, in every
    run; a table model replaces all its rows, in a partition run only. Its one extra query is the table's
    columns. Readers keep seeing the old rows until the commit, as with dbt's rename.

    Everything else takes dbt's own path: the first build, a full refresh, other strategies, models without
    an enforced contract, and tables whose columns drifted from the contract (on_schema_change decides as
    usual; a table is rebuilt). So the SQL-against-contract check runs on every full build and in CI
    (tests/dbt), not on each day, and a constraint added to a contract reaches an existing table only with a
    full refresh; until then partition runs see it missing and run every data test (dbt_constraints.py).
    Likewise for a table's `indexes` config (dbt applies it only when it creates a table; the ensure_index
    post-hook in cross_database.sql adds one to existing tables). -#}

{% materialization incremental, adapter='postgres' %}
    {%- set columns = columns_for_in_place_refresh() if config.get('incremental_strategy') == 'replace_window' -%}
    {%- if not columns -%}
        {{ return(dbt.materialization_incremental_default()) }}
    {%- endif -%}
    {%- set window = model_partition_window() -%}
    {{ return(refresh_in_place(replace_rows_sql(this.incorporate(type='table'), sql, columns, window))) }}
{% endmaterialization %}

{% materialization table, adapter='postgres' %}
    {%- set columns = columns_for_in_place_refresh() if partition_window_bounds() is not none -%}
    {%- if not columns -%}
        {{ return(dbt.materialization_table_default()) }}
    {%- endif -%}
    {{ return(refresh_in_place(replace_rows_sql(this.incorporate(type='table'), sql, columns))) }}
{% endmaterialization %}

{#- The existing table's columns when the short path applies to this model, else none. -#}
{% macro columns_for_in_place_refresh() %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set contract = config.get('contract') -%}
    {%- if not (contract and contract.enforced) or existing_relation is none or not existing_relation.is_table -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if should_full_refresh() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set table_columns = adapter.get_columns_in_relation(existing_relation) -%}
    {%- set contract_columns = model['columns'].values() | map(attribute='name') | sort -%}
    {%- if contract_columns != (table_columns | map(attribute='name') | sort) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(table_columns) }}
{% endmacro %}

{#- Delete the target's rows that `where` selects, then insert `rows_sql`'s rows, by column name. -#}
{% macro replace_rows_sql(target_relation, rows_sql, columns, where='true') %}
    {%- set column_list = get_quoted_csv(columns | map(attribute='name')) -%}
    delete from {{ target_relation }}
    where {{ where }};

    insert into {{ target_relation }} ({{ column_list }})
    select {{ column_list }}
    from (
        {{ rows_sql }}
    ) as model_rows
{% endmacro %}

{#- Run `build_sql` between the model's hooks, in one transaction, as a materialization's main statement. -#}
{% macro refresh_in_place(build_sql) %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {% call statement('main') %}
        {{ build_sql }}
    {% endcall %}
    {% do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do adapter.commit() %}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmacro %}
