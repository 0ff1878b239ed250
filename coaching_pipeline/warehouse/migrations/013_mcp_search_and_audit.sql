-- The MCP app: full-text search over transcripts, its audit log, the tokens it issues and its batch handles.

-- Every sentence's text, searchable: a generated column, so each transcript upsert (ingestion) keeps it
-- current with no code of its own. Speaker names and ids are left out: a search for "Dana" finds what was
-- said about Dana, and the app filters by rep separately.
alter table raw.transcripts
    add column search_vector tsvector generated always as (
        to_tsvector('english'::regconfig, jsonb_path_query_array(normalized, '$.turns[*].sentences[*].text'))
    ) stored;
create index transcripts_search_idx on raw.transcripts using gin (search_vector);

create schema if not exists mcp;

-- One row per tool call, allowed, refused or failed. Arguments are stored redacted (mcp_app/audit.py).
create table mcp.audit_log (
    audit_id bigserial primary key,
    occurred_at timestamptz not null default now(),
    principal_user_id text,
    principal_email text,
    principal_role text,
    auth_method text not null,
    tool text not null,
    arguments jsonb not null default '{}'::jsonb,
    rows_returned integer not null default 0,
    duration_ms integer not null,
    outcome text not null check (outcome in ('ok', 'invalid', 'denied', 'error')),
    error text
);
create index audit_log_occurred_idx on mcp.audit_log (occurred_at);
create index audit_log_principal_idx on mcp.audit_log (principal_user_id, occurred_at);

-- Bearer tokens the project issues (`coaching mcp token create`): only the SHA-256 of the secret is kept.
create table mcp.access_tokens (
    token_id text primary key,
    token_sha256 text not null unique,
    user_id text not null,
    email text not null,
    role text not null check (role in ('rep', 'manager', 'admin')),
    label text,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    revoked_at timestamptz
);

-- batch_analyze_calls handles: what was asked, estimated and done so far.
create table mcp.analysis_jobs (
    job_id text primary key,
    principal_user_id text,
    principal_email text,
    call_ids jsonb not null,
    dimensions jsonb not null,
    status text not null check (status in ('running', 'done', 'failed')),
    total_units integer not null,
    done_units integer not null default 0,
    estimate jsonb not null,
    report jsonb,
    error text,
    started_at timestamptz not null default now(),
    finished_at timestamptz
);
