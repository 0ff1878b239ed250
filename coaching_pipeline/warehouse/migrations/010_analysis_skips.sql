-- Calls the analyses leave out on purpose, one row per call with the reason: internal calls are not coached
-- by default (COACHING_ANALYZE_SCOPES). A skip is a decision about the call, not about one dimension or rubric
-- version, and needs nobody's action, so it is not an analysis failure. Each run replaces the rows of the
-- calls it considers; a call analysed later (the setting changed) loses its row.
create table coaching.analysis_skips (
    call_id text primary key references raw.calls (call_id) on delete cascade,
    call_date date not null,
    scope text not null check (scope in ('Internal', 'External', 'Unknown')),
    reason text not null check (reason in ('internal_scope', 'no_external_participant', 'excluded_scope')),
    detail jsonb not null default '{}'::jsonb,
    recorded_at timestamptz not null default now()
);
create index analysis_skips_date_idx on coaching.analysis_skips (call_date);
