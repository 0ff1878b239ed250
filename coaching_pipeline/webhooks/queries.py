"""SQL of the webhook receiver: store a delivery once (keyed by its body's SHA-256)."""

INSERT_EVENT = """
insert into raw.gong_webhook_events
    (body_sha256, status, reason, call_id, call_started_at, auth_method, body)
values (%(body_sha256)s, %(status)s, %(reason)s, %(call_id)s, %(call_started_at)s, %(auth_method)s, %(body)s)
on conflict (body_sha256) do nothing
returning event_id
"""

PING = "select 1"
