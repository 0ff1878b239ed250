-- The MCP app's database role: it reads the marts and the raw and coaching tables its tools need, and writes
-- only its audit log and batch handles, knowledge-base documents (update_knowledge_base) and what the analysis
-- engine writes. Grant it to the app's login: create role coaching_mcp_app login password '...' in role
-- coaching_mcp; then point COACHING_MCP_DATABASE_URL at that login. Roles are cluster-wide, so creation
-- tolerates a role made by another database's migration.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'coaching_mcp') then
        create role coaching_mcp nologin;
    end if;
exception
    when duplicate_object or unique_violation then null;
end
$$;

grant usage on schema raw, coaching, marts, mcp to coaching_mcp;

grant select on raw.users, raw.calls, raw.call_participants, raw.transcripts to coaching_mcp;
grant select on all tables in schema marts to coaching_mcp;
alter default privileges in schema marts grant select on tables to coaching_mcp;
grant select on coaching.rubrics, coaching.call_interaction_stats to coaching_mcp;

-- The analysis engine's tables (cache, ledger, stored analyses, failures, batches).
grant select, insert, update on coaching.analysis_cache, coaching.call_analyses, coaching.message_batches
    to coaching_mcp;
grant select, insert, update, delete on coaching.analysis_failures to coaching_mcp;
grant select, insert on coaching.llm_requests, coaching.cache_events to coaching_mcp;
grant usage on sequence coaching.llm_requests_ledger_id_seq, coaching.cache_events_event_id_seq to coaching_mcp;

grant select, insert, update on coaching.kb_documents to coaching_mcp;

grant select, insert on mcp.audit_log to coaching_mcp;
grant usage on sequence mcp.audit_log_audit_id_seq to coaching_mcp;
grant select, insert, update on mcp.analysis_jobs to coaching_mcp;
grant select on mcp.access_tokens to coaching_mcp;
