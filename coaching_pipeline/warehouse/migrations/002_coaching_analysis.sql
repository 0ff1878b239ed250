-- Rubrics, knowledge base, analyses with their cache, failures, the LLM cost ledger, and batch bookkeeping.
create schema if not exists coaching;

create table coaching.rubrics (
    dimension text not null,
    version text not null,
    content_hash text not null,
    content jsonb not null,
    loaded_at timestamptz not null default now(),
    primary key (dimension, version)
);

create table coaching.kb_documents (
    document_id text not null,
    version text not null,
    product text not null,
    updated_on date not null,
    content_hash text not null,
    title text,
    body text not null,
    loaded_at timestamptz not null default now(),
    primary key (document_id, version)
);

-- The cache: one result per (transcript, dimension, rubric version, prompt version, model).
create table coaching.analysis_cache (
    cache_key text primary key,
    transcript_sha256 text not null,
    dimension text not null,
    rubric_version text not null,
    prompt_version text not null,
    model text not null,
    result jsonb not null,
    cost_usd numeric(12, 6) not null default 0,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);

-- The current analysis of each call per dimension and rubric version, as read by dbt and the MCP app.
create table coaching.call_analyses (
    call_id text not null references raw.calls (call_id) on delete cascade,
    dimension text not null
        check (dimension in ('discovery', 'product_knowledge', 'objection_handling', 'engagement')),
    rubric_version text not null,
    prompt_version text not null,
    model text not null,
    analyzer text not null check (analyzer in ('claude', 'offline')),
    cache_key text not null,
    transcript_sha256 text not null,
    call_date date not null,
    rep_user_id text,
    overall_score numeric(3, 2) not null check (overall_score between 1 and 5),
    criterion_scores jsonb not null,
    strengths jsonb not null default '[]'::jsonb,
    improvements jsonb not null default '[]'::jsonb,
    evidence jsonb not null default '[]'::jsonb,
    evidence_count integer not null default 0,
    unverified_quote_count integer not null default 0,
    analyzed_at timestamptz not null default now(),
    primary key (call_id, dimension, rubric_version)
);
create index call_analyses_date_idx on coaching.call_analyses (call_date);
create index call_analyses_rep_idx on coaching.call_analyses (rep_user_id, dimension, call_date);

create table coaching.analysis_failures (
    call_id text not null,
    dimension text not null,
    rubric_version text not null,
    status text not null check (status in ('failed', 'deferred')),
    reason text not null,
    detail jsonb not null default '{}'::jsonb,
    call_date date,
    attempts integer not null default 1,
    recorded_at timestamptz not null default now(),
    primary key (call_id, dimension, rubric_version)
);

-- Per-call interaction statistics computed from the transcript (Gong-style talk ratio, monologues, ...).
create table coaching.call_interaction_stats (
    call_id text primary key references raw.calls (call_id) on delete cascade,
    rep_user_id text,
    call_date date not null,
    transcript_sha256 text not null,
    rep_talk_ratio numeric(5, 4) check (rep_talk_ratio between 0 and 1),
    longest_monologue_seconds numeric(10, 2),
    longest_customer_story_seconds numeric(10, 2),
    rep_question_count integer,
    customer_question_count integer,
    interactivity numeric(5, 2),
    patience_seconds numeric(8, 3),
    speaker_talk_seconds jsonb not null default '{}'::jsonb,
    computed_at timestamptz not null default now()
);
create index call_interaction_stats_date_idx on coaching.call_interaction_stats (call_date);

-- The cost ledger: every request to Claude (or the offline analyzer), successful or not.
create table coaching.llm_requests (
    ledger_id bigserial primary key,
    request_id text,
    run_id text,
    call_id text,
    dimension text,
    model text not null,
    mode text not null check (mode in ('sync', 'batch', 'offline')),
    status text not null,
    attempt integer not null default 1,
    input_tokens integer not null default 0,
    output_tokens integer not null default 0,
    cache_creation_input_tokens integer not null default 0,
    cache_read_input_tokens integer not null default 0,
    cost_usd numeric(12, 6) not null default 0,
    latency_ms integer,
    error text,
    requested_at timestamptz not null default now()
);
create index llm_requests_day_idx on coaching.llm_requests (requested_at);
create index llm_requests_call_idx on coaching.llm_requests (call_id, dimension);

-- Cache lookups, so hit rate and dollars saved are queryable per day.
create table coaching.cache_events (
    event_id bigserial primary key,
    cache_key text not null,
    call_id text,
    dimension text,
    model text not null,
    is_hit boolean not null,
    saved_usd numeric(12, 6) not null default 0,
    run_id text,
    occurred_at timestamptz not null default now()
);
create index cache_events_day_idx on coaching.cache_events (occurred_at);

create table coaching.message_batches (
    batch_id text primary key,
    status text not null,
    request_count integer not null,
    requests jsonb not null,
    submitted_at timestamptz not null default now(),
    ended_at timestamptz,
    collected_at timestamptz
);
