-- Record how a claimed message went: sent, or failed with the last error, and the attempts it took.
update coaching.review_deliveries
set
    status = %(status)s,
    attempts = attempts + %(attempts)s,
    last_error = %(last_error)s,
    sent_at = case when %(status)s = 'sent' then now() end,
    updated_at = now()
where
    week_start = %(week_start)s
    and channel = %(channel)s
    and recipient = %(recipient)s
    and review = %(review)s
    and status = 'sending'
