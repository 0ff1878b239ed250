"""Parameterized SQL for ingestion: Gong users, calls, participants, transcripts, chunks, stats and issues."""

UPSERT_USER = """
insert into raw.users (user_id, email, first_name, last_name, title, manager_id, is_active, role, team,
                       created_at, payload, updated_at)
values (%(user_id)s, %(email)s, %(first_name)s, %(last_name)s, %(title)s, %(manager_id)s, %(is_active)s,
        %(role)s, %(team)s, %(created_at)s, %(payload)s, now())
on conflict (user_id) do update set
    email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
    title = excluded.title, manager_id = excluded.manager_id, is_active = excluded.is_active,
    role = excluded.role, team = excluded.team, created_at = excluded.created_at,
    payload = excluded.payload, updated_at = now()
where raw.users.payload is distinct from excluded.payload
   or raw.users.role is distinct from excluded.role
   or raw.users.team is distinct from excluded.team
"""

UPSERT_CALL = """
insert into raw.calls (call_id, call_date, started_at, scheduled_at, duration_seconds, title, url,
                       primary_user_id, direction, scope, media, language, workspace_id, purpose, call_type,
                       payload)
values (%(call_id)s, %(call_date)s, %(started_at)s, %(scheduled_at)s, %(duration_seconds)s, %(title)s, %(url)s,
        %(primary_user_id)s, %(direction)s, %(scope)s, %(media)s, %(language)s, %(workspace_id)s, %(purpose)s,
        %(call_type)s, %(payload)s)
on conflict (call_id) do update set
    call_date = excluded.call_date, started_at = excluded.started_at, scheduled_at = excluded.scheduled_at,
    duration_seconds = excluded.duration_seconds, title = excluded.title, url = excluded.url,
    primary_user_id = excluded.primary_user_id, direction = excluded.direction, scope = excluded.scope,
    media = excluded.media, language = excluded.language, workspace_id = excluded.workspace_id,
    purpose = excluded.purpose, call_type = excluded.call_type,
    payload = raw.calls.payload || excluded.payload, updated_at = now()
where not (raw.calls.payload @> excluded.payload)
returning call_id, call_date, (xmax = 0) as inserted
"""

CALLS_IN_RANGE = """
select call_id, call_date, primary_user_id, transcript_status
from raw.calls
where call_date >= %(start)s and call_date < %(end)s
order by call_id
"""

PENDING_CALLS = """
select call_id, call_date from raw.calls
where transcript_status = 'pending' and call_date >= %(since)s
order by call_id
"""

# A call whose transcript retention purged keeps only its metadata, even when a backfill refetches it.
SET_CALL_EXTENSIVE = """
update raw.calls set payload = payload || %(payload)s, updated_at = now()
where call_id = %(call_id)s and not (payload @> %(payload)s) and transcript_status <> 'purged'
"""

SET_TRANSCRIPT_STATUS = """
update raw.calls set transcript_status = %(status)s, updated_at = now()
where call_id = %(call_id)s and transcript_status <> %(status)s
"""

UPSERT_PARTICIPANT = """
insert into raw.call_participants (call_id, party_id, speaker_id, user_id, name, email, title, affiliation)
values (%(call_id)s, %(party_id)s, %(speaker_id)s, %(user_id)s, %(name)s, %(email)s, %(title)s, %(affiliation)s)
on conflict (call_id, party_id) do update set
    speaker_id = excluded.speaker_id, user_id = excluded.user_id, name = excluded.name,
    email = excluded.email, title = excluded.title, affiliation = excluded.affiliation
where (select c.transcript_status from raw.calls as c where c.call_id = excluded.call_id) <> 'purged'
"""

UPSERT_TRANSCRIPT = """
insert into raw.transcripts (call_id, payload, normalized, sha256, token_count, turn_count, sentence_count)
values (%(call_id)s, %(payload)s, %(normalized)s, %(sha256)s, %(token_count)s, %(turn_count)s,
        %(sentence_count)s)
on conflict (call_id) do update set
    payload = excluded.payload, normalized = excluded.normalized, sha256 = excluded.sha256,
    token_count = excluded.token_count, turn_count = excluded.turn_count,
    sentence_count = excluded.sentence_count, fetched_at = now()
where raw.transcripts.sha256 <> excluded.sha256
"""

TRANSCRIPT_SHAS = "select call_id, sha256 from raw.transcripts where call_id = any(%(call_ids)s)"

RECORD_ISSUE = """
insert into raw.ingestion_issues (call_id, stage, severity, reason, detail, call_date)
values (%(call_id)s, %(stage)s, %(severity)s, %(reason)s, %(detail)s, %(call_date)s)
on conflict (call_id, stage) do update set
    severity = excluded.severity, reason = excluded.reason, detail = excluded.detail,
    call_date = excluded.call_date, recorded_at = now()
"""

CLEAR_ISSUE = "delete from raw.ingestion_issues where call_id = %(call_id)s and stage = %(stage)s"

READY_TRANSCRIPTS_IN_RANGE = """
select t.call_id, t.sha256, t.normalized, c.call_date, c.primary_user_id
from raw.transcripts as t
join raw.calls as c using (call_id)
where c.call_date >= %(start)s and c.call_date < %(end)s and c.transcript_status = 'ready'
order by t.call_id
"""

CHUNK_SHAS_IN_RANGE = """
select k.call_id, min(k.transcript_sha256) as transcript_sha256
from raw.transcript_chunks as k
join raw.calls as c using (call_id)
where c.call_date >= %(start)s and c.call_date < %(end)s
group by k.call_id
"""

DELETE_CHUNKS = "delete from raw.transcript_chunks where call_id = %(call_id)s"

INSERT_CHUNK = """
insert into raw.transcript_chunks (call_id, chunk_index, transcript_sha256, first_turn, last_turn, start_ms, end_ms,
                                   token_count, overlap_tokens, body, segments)
values (%(call_id)s, %(chunk_index)s, %(transcript_sha256)s, %(first_turn)s, %(last_turn)s, %(start_ms)s,
        %(end_ms)s, %(token_count)s, %(overlap_tokens)s, %(body)s, %(segments)s)
"""

CHUNK_ROWS_FOR_CALL = """
select chunk_index, first_turn, last_turn, start_ms, end_ms, token_count, overlap_tokens, body, segments
from raw.transcript_chunks where call_id = %(call_id)s order by chunk_index
"""

UPSERT_INTERACTION_STATS = """
insert into coaching.call_interaction_stats (call_id, rep_user_id, call_date, transcript_sha256, rep_talk_ratio,
    longest_monologue_seconds, longest_customer_story_seconds, rep_question_count, customer_question_count,
    interactivity, patience_seconds, speaker_talk_seconds)
values (%(call_id)s, %(rep_user_id)s, %(call_date)s, %(transcript_sha256)s, %(rep_talk_ratio)s,
    %(longest_monologue_seconds)s, %(longest_customer_story_seconds)s, %(rep_question_count)s,
    %(customer_question_count)s, %(interactivity)s, %(patience_seconds)s, %(speaker_talk_seconds)s)
on conflict (call_id) do update set
    rep_user_id = excluded.rep_user_id, call_date = excluded.call_date,
    transcript_sha256 = excluded.transcript_sha256, rep_talk_ratio = excluded.rep_talk_ratio,
    longest_monologue_seconds = excluded.longest_monologue_seconds,
    longest_customer_story_seconds = excluded.longest_customer_story_seconds,
    rep_question_count = excluded.rep_question_count, customer_question_count = excluded.customer_question_count,
    interactivity = excluded.interactivity, patience_seconds = excluded.patience_seconds,
    speaker_talk_seconds = excluded.speaker_talk_seconds, computed_at = now()
where coaching.call_interaction_stats.transcript_sha256 <> excluded.transcript_sha256
"""

PARTITION_COVERAGE = """
select c.call_id, c.transcript_status, i.reason
from raw.calls as c
left join raw.ingestion_issues as i on i.call_id = c.call_id and i.stage = 'transcript'
where c.call_date >= %(start)s and c.call_date < %(end)s
"""

ANALYSES_OUT_OF_RANGE = """
select a.call_id
from coaching.call_analyses as a
where a.call_date >= %(start)s and a.call_date < %(end)s and a.dimension = %(dimension)s
  and (
    a.overall_score not between 1 and 5
    or exists (
        select 1 from jsonb_array_elements(a.criterion_scores) as c
        where (c ->> 'score')::numeric not between 1 and 5
    )
    or exists (
        select 1 from jsonb_array_elements(a.evidence) as e
        where coalesce((e ->> 'verified')::boolean, false) is false
    )
  )
order by a.call_id
"""

READY_CALL_IDS_IN_RANGE = """
select c.call_id from raw.calls as c
where c.call_date >= %(start)s and c.call_date < %(end)s and c.transcript_status = 'ready'
order by c.call_id
"""

# What one analysis run did, per call date and dimension (the metadata of each daily partition it covers).
RUN_LEDGER_BY_DAY = """
select call_date, dimension, count(*) as api_requests, sum(input_tokens) as input_tokens,
       sum(output_tokens) as output_tokens, sum(cache_creation_input_tokens) as cache_write_tokens,
       sum(cache_read_input_tokens) as cache_read_tokens, sum(cost_usd) as cost_usd
from coaching.llm_requests
where run_id = %(run_id)s and mode <> 'offline' and call_date >= %(start)s and call_date < %(end)s
group by call_date, dimension
"""

RUN_CACHE_BY_DAY = """
select call_date, dimension, count(*) filter (where is_hit) as cache_hits,
       count(*) filter (where not is_hit) as cache_misses, sum(saved_usd) as saved_usd
from coaching.cache_events
where run_id = %(run_id)s and call_date >= %(start)s and call_date < %(end)s
group by call_date, dimension
"""

ANALYSES_BY_DAY = """
select call_date, dimension, count(*) as calls_analysed, sum(evidence_count) as evidence,
       sum(unverified_quote_count) as unverified_quotes, round(avg(overall_score), 2) as mean_score
from coaching.call_analyses
where call_date >= %(start)s and call_date < %(end)s
group by call_date, dimension
"""

FAILURES_BY_DAY = """
select call_date, dimension, count(*) filter (where status = 'failed') as failures,
       count(*) filter (where status = 'deferred') as deferred
from coaching.analysis_failures
where call_date >= %(start)s and call_date < %(end)s
group by call_date, dimension
"""

SKIPS_BY_DAY_AND_REASON = """
select call_date, reason, count(*) as calls
from coaching.analysis_skips
where call_date >= %(start)s and call_date < %(end)s
group by call_date, reason
order by call_date, reason
"""

READY_CALLS_BY_DAY = """
select call_date, count(*) as calls
from raw.calls
where call_date >= %(start)s and call_date < %(end)s and transcript_status = 'ready'
group by call_date
"""

# Spend n requests of the day's budget atomically; returns no row when the spend would pass the limit.
SPEND_GONG_REQUEST_BUDGET = """
insert into raw.gong_request_budget as budget (day, requests)
select %(day)s, %(n)s
where %(n)s <= %(limit)s
on conflict (day) do update
    set requests = budget.requests + excluded.requests
    where budget.requests + excluded.requests <= %(limit)s
returning requests
"""

# Requests already spent on a day.
GONG_REQUESTS_USED = """
select requests from raw.gong_request_budget where day = %(day)s
"""

# Webhook events the previous sensor tick handed off (its run request was committed with its cursor).
CONSUME_WEBHOOK_EVENTS = """
update raw.gong_webhook_events set consumed_at = now()
where event_id = any(%(event_ids)s) and consumed_at is null
"""

PENDING_WEBHOOK_EVENTS = """
select event_id, call_id, call_started_at from raw.gong_webhook_events
where consumed_at is null and status = 'received' and not (event_id = any(%(handed_off)s))
order by event_id
limit %(limit)s
"""
