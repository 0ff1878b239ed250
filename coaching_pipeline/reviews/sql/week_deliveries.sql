-- Every delivery recorded for a week.
select channel, recipient, review, status, attempts, last_error, sent_at
from coaching.review_deliveries
where week_start = %(week_start)s
order by channel, recipient, review
