-- One log of what happened to the pipeline itself, for the health mart and the runbook: runs that started,
-- failed or succeeded, the Claude breaker opening and closing, work deferred during an outage and taken up
-- again, Gong back-offs and alerts sent. Rows are appended, never updated; `event_key` makes a repeated report
-- of the same event (a sensor tick evaluated twice, a retried write) land once.
create table coaching.pipeline_events (
    event_id bigint generated always as identity primary key,
    event_key text not null unique,
    kind text not null check (
        kind in (
            'run_started', 'run_succeeded', 'run_failed',
            'breaker_opened', 'breaker_closed',
            'work_deferred', 'work_resumed',
            'gong_backoff', 'postgres_retry',
            'alert_sent', 'alert_failed'
        )
    ),
    occurred_at timestamptz not null default now(),
    run_id text,
    call_id text,
    dimension text,
    detail jsonb not null default '{}'::jsonb
);
create index pipeline_events_kind_time_idx on coaching.pipeline_events (kind, occurred_at);
