-- Requests already spent on a day.
select requests from raw.gong_request_budget where day = %(day)s
