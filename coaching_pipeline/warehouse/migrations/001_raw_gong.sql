-- Raw Gong data: users, calls, participants, transcripts and their chunks, and the ingestion bookkeeping.
create schema if not exists raw;
create schema if not exists dagster;

create table raw.users (
    user_id text primary key,
    email text,
    first_name text,
    last_name text,
    title text,
    manager_id text,
    is_active boolean not null default true,
    role text not null check (role in ('SE', 'AE', 'CSM', 'MANAGER', 'OTHER')),
    team text,
    created_at timestamptz,
    payload jsonb not null,
    ingested_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index users_manager_idx on raw.users (manager_id);
create index users_team_role_idx on raw.users (team, role);

create table raw.calls (
    call_id text primary key,
    call_date date not null,
    started_at timestamptz not null,
    scheduled_at timestamptz,
    duration_seconds integer not null check (duration_seconds >= 0),
    title text,
    url text,
    primary_user_id text,
    direction text,
    scope text,
    media text,
    language text,
    workspace_id text,
    purpose text,
    call_type text not null,
    payload jsonb not null,
    transcript_status text not null default 'pending'
        check (transcript_status in ('pending', 'ready', 'invalid')),
    first_seen_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index calls_date_idx on raw.calls (call_date);
create index calls_primary_user_date_idx on raw.calls (primary_user_id, call_date);
create index calls_pending_idx on raw.calls (call_date) where transcript_status = 'pending';

create table raw.call_participants (
    call_id text not null references raw.calls (call_id) on delete cascade,
    party_id text not null,
    speaker_id text,
    user_id text,
    name text,
    email text,
    title text,
    affiliation text not null default 'Unknown',
    primary key (call_id, party_id)
);
create unique index call_participants_speaker_idx
    on raw.call_participants (call_id, speaker_id) where speaker_id is not null;
create index call_participants_user_idx on raw.call_participants (user_id);

create table raw.transcripts (
    call_id text primary key references raw.calls (call_id) on delete cascade,
    payload jsonb not null,
    normalized jsonb not null,
    sha256 text not null,
    token_count integer not null check (token_count >= 0),
    turn_count integer not null,
    sentence_count integer not null,
    fetched_at timestamptz not null default now()
);
create index transcripts_sha_idx on raw.transcripts (sha256);

create table raw.transcript_chunks (
    call_id text not null references raw.transcripts (call_id) on delete cascade,
    chunk_index integer not null,
    transcript_sha256 text not null,
    first_turn integer not null,
    last_turn integer not null,
    start_ms bigint not null,
    end_ms bigint not null,
    token_count integer not null,
    overlap_tokens integer not null default 0,
    body text not null,
    segments jsonb not null,
    primary key (call_id, chunk_index)
);

-- One row per (call, stage) that could not be processed; cleared when the call later succeeds.
create table raw.ingestion_issues (
    call_id text not null,
    stage text not null check (stage in ('metadata', 'transcript', 'chunking')),
    reason text not null,
    detail jsonb not null default '{}'::jsonb,
    call_date date,
    recorded_at timestamptz not null default now(),
    primary key (call_id, stage)
);
create index ingestion_issues_date_idx on raw.ingestion_issues (call_date);

-- Requests made to Gong per UTC day, so a backfill respects the company's daily budget.
create table raw.gong_request_budget (
    day date primary key,
    requests integer not null default 0
);

create table raw.ingestion_state (
    state_key text primary key,
    state jsonb not null,
    updated_at timestamptz not null default now()
);
