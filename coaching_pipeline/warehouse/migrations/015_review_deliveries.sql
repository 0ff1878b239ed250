-- The weekly reviews' delivery ledger. A sender claims a row before it sends (insert, or take back a failed
-- row), so a re-run, a retry or a second schedule tick finds the row and never sends the message twice.
-- recipient is an email address, or for Slack the webhook's label (a team name, or SLACK_WEBHOOK_URL);
-- review names what was sent ('rep:<user id>' or 'team:<manager user id>'), so one address cc'd on two
-- teams' reviews gets both. status: 'sending' (claimed; left so only if the sender died mid-send, and then
-- never re-sent on its own), 'sent', or 'failed' (every attempt failed; last_error says why; the next run
-- tries again).
create table coaching.review_deliveries (
    week_start date not null,
    channel text not null check (channel in ('email', 'slack')),
    recipient text not null,
    review text not null,
    status text not null check (status in ('sending', 'sent', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    last_error text,
    claimed_at timestamptz not null default now(),
    sent_at timestamptz,
    updated_at timestamptz not null default now(),
    primary key (week_start, channel, recipient, review)
);

create index review_deliveries_status_idx on coaching.review_deliveries (week_start, status);
