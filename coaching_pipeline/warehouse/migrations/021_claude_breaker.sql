-- The Claude circuit breaker's state, so it outlives the run that opened it: a run that starts while Claude is
-- known to be down (5xx, 529 overloaded, 429 rate limited) defers its work at once, without a request, and the
-- first run after `open_until` sends one probe. One row per Claude endpoint (`name`: its base URL, the API's,
-- a proxy's or a simulator's); half-open is not stored: it is an open breaker whose `open_until` has passed. Openings and closings are also
-- appended to coaching.pipeline_events (breaker_opened, breaker_closed).
create table coaching.claude_breaker (
    name text primary key,
    state text not null default 'closed' check (state in ('closed', 'open')),
    failures integer not null default 0 check (failures >= 0),
    opened_at timestamptz,
    open_until timestamptz,
    reason text,
    updated_at timestamptz not null default now(),
    check (state = 'closed' or (opened_at is not null and open_until is not null))
);

-- The MCP app analyses on demand through the same engine: it shares the breaker and logs what it defers.
grant select, insert, update on coaching.claude_breaker to coaching_mcp;
grant insert on coaching.pipeline_events to coaching_mcp;
grant usage on sequence coaching.pipeline_events_event_id_seq to coaching_mcp;
