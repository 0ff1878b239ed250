-- Read-only BI access: the group role coaching_bi may read the marts schema and nothing else.
-- Grant it to BI login roles: create role looker login password '...' in role coaching_bi;
-- Roles are cluster-wide, so creation tolerates a role made by another database's migration.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'coaching_bi') then
        create role coaching_bi nologin;
    end if;
exception
    when duplicate_object or unique_violation then null;
end
$$;

create schema if not exists marts;
revoke all on schema marts from public;
grant usage on schema marts to coaching_bi;
grant select on all tables in schema marts to coaching_bi;
-- Tables dbt creates later in marts (as the migrating role, which dbt also uses) are readable at once;
-- dbt's `grants` config re-applies the same select after every build.
alter default privileges in schema marts grant select on tables to coaching_bi;
