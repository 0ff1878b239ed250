-- Gong webhook deliveries (automation rule "Fire webhook"), stored by the receiver and turned into partition
-- runs by the next gong_calls_sensor tick. A repeated delivery (same raw body) is stored once.
create table raw.gong_webhook_events (
    event_id bigserial primary key,
    body_sha256 text not null unique,
    status text not null check (status in ('received', 'invalid')),
    reason text,
    call_id text,
    call_started_at timestamptz,
    auth_method text not null check (auth_method in ('jwt', 'hmac', 'url_token')),
    body text,
    received_at timestamptz not null default now(),
    consumed_at timestamptz,
    purged_at timestamptz
);
create index gong_webhook_events_unconsumed_idx
    on raw.gong_webhook_events (event_id) where consumed_at is null and status = 'received';
