-- Claim one message before sending it: a new row, or a failed one taken back. No row returned: it was sent
-- already, or another sender holds it.
insert into coaching.review_deliveries (week_start, channel, recipient, review, status)
values (%(week_start)s, %(channel)s, %(recipient)s, %(review)s, 'sending')
on conflict (week_start, channel, recipient, review) do update
    set status = 'sending', claimed_at = now(), updated_at = now()
    where coaching.review_deliveries.status = 'failed'
returning attempts
