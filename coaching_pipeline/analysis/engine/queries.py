"""Every SQL statement of the analysis engine, parameterized, in one place."""

SELECT_CALLS_FOR_DATE = """
select c.call_id, c.call_date, c.primary_user_id, c.call_type, c.scope, t.normalized, t.sha256, u.role,
       array(select p.affiliation from raw.call_participants p where p.call_id = c.call_id) as affiliations
from raw.calls c
join raw.transcripts t on t.call_id = c.call_id
left join raw.users u on u.user_id = c.primary_user_id
where c.call_date = %(call_date)s and c.transcript_status = 'ready'
order by c.call_id
"""

SELECT_CALLS_BY_ID = """
select c.call_id, c.call_date, c.primary_user_id, c.call_type, c.scope, t.normalized, t.sha256, u.role,
       array(select p.affiliation from raw.call_participants p where p.call_id = c.call_id) as affiliations
from raw.calls c
join raw.transcripts t on t.call_id = c.call_id
left join raw.users u on u.user_id = c.primary_user_id
where c.call_id = any(%(call_ids)s) and c.transcript_status = 'ready'
order by c.call_id
"""

SELECT_CACHE = """
select result, cost_usd from coaching.analysis_cache where cache_key = %(cache_key)s and expires_at > now()
"""

UPSERT_CACHE = """
insert into coaching.analysis_cache
    (cache_key, transcript_sha256, dimension, rubric_version, prompt_version, model, redaction_version, result,
     cost_usd, expires_at)
values (%(cache_key)s, %(transcript_sha256)s, %(dimension)s, %(rubric_version)s, %(prompt_version)s,
        %(model)s, %(redaction_version)s, %(result)s, %(cost_usd)s, now() + make_interval(days => %(ttl_days)s))
on conflict (cache_key) do update set
    result = excluded.result, cost_usd = excluded.cost_usd, created_at = now(),
    expires_at = excluded.expires_at
"""

# Ledger and cache rows take their call's date from raw.calls (null without a call), as migration 006
# backfilled them, so the daily partitions of the cost marts can bound them.
INSERT_CACHE_EVENT = """
insert into coaching.cache_events (cache_key, call_id, call_date, dimension, model, is_hit, saved_usd, run_id)
values (%(cache_key)s, %(call_id)s, (select call_date from raw.calls where call_id = %(call_id)s), %(dimension)s,
        %(model)s, %(is_hit)s, %(saved_usd)s, %(run_id)s)
"""

CACHE_STATS = """
select count(*) filter (where is_hit) as hits, count(*) filter (where not is_hit) as misses,
       coalesce(sum(saved_usd), 0) as saved_usd
from coaching.cache_events
where (%(run_id)s::text is null or run_id = %(run_id)s)
  and (%(since)s::timestamptz is null or occurred_at >= %(since)s)
"""

INSERT_LEDGER = """
insert into coaching.llm_requests
    (request_id, run_id, call_id, call_date, dimension, model, mode, status, attempt, input_tokens, output_tokens,
     cache_creation_input_tokens, cache_read_input_tokens, cost_usd, latency_ms, error)
select %(request_id)s, %(run_id)s, %(call_id)s, (select call_date from raw.calls where call_id = %(call_id)s),
       %(dimension)s, %(model)s, %(mode)s, %(status)s, %(attempt)s,
       %(input_tokens)s, %(output_tokens)s, %(cache_creation_input_tokens)s, %(cache_read_input_tokens)s,
       %(cost_usd)s, %(latency_ms)s, %(error)s
where %(request_id)s::text is null
   or not exists (select 1 from coaching.llm_requests where request_id = %(request_id)s and mode = %(mode)s)
"""

RUN_SPEND = """
select coalesce(sum(cost_usd), 0) as spent from coaching.llm_requests where run_id = %(run_id)s
"""

UPSERT_CALL_ANALYSIS = """
insert into coaching.call_analyses
    (call_id, dimension, rubric_version, prompt_version, model, analyzer, cache_key, transcript_sha256,
     call_date, rep_user_id, overall_score, criterion_scores, strengths, improvements, evidence,
     evidence_count,
     unverified_quote_count)
values (%(call_id)s, %(dimension)s, %(rubric_version)s, %(prompt_version)s, %(model)s, %(analyzer)s,
        %(cache_key)s, %(transcript_sha256)s, %(call_date)s, %(rep_user_id)s, %(overall_score)s,
        %(criterion_scores)s, %(strengths)s, %(improvements)s, %(evidence)s, %(evidence_count)s,
        %(unverified_quote_count)s)
on conflict (call_id, dimension, rubric_version) do update set
    prompt_version = excluded.prompt_version, model = excluded.model, analyzer = excluded.analyzer,
    cache_key = excluded.cache_key, transcript_sha256 = excluded.transcript_sha256,
    call_date = excluded.call_date, rep_user_id = excluded.rep_user_id,
    overall_score = excluded.overall_score, criterion_scores = excluded.criterion_scores,
    strengths = excluded.strengths, improvements = excluded.improvements, evidence = excluded.evidence,
    evidence_count = excluded.evidence_count,
    unverified_quote_count = excluded.unverified_quote_count, analyzed_at = now()
"""

UPSERT_FAILURE = """
insert into coaching.analysis_failures (call_id, dimension, rubric_version, status, reason, detail, call_date)
values (%(call_id)s, %(dimension)s, %(rubric_version)s, %(status)s, %(reason)s, %(detail)s, %(call_date)s)
on conflict (call_id, dimension, rubric_version) do update set
    status = excluded.status, reason = excluded.reason, detail = excluded.detail,
    call_date = excluded.call_date, attempts = coaching.analysis_failures.attempts + 1, recorded_at = now()
"""

# The failure row a stored analysis replaces: a deferred one means deferred work has now been done.
DELETE_FAILURE = """
delete from coaching.analysis_failures
where call_id = %(call_id)s and dimension = %(dimension)s and rubric_version = %(rubric_version)s
returning status, reason, recorded_at
"""

# One row per skipped call (coaching.analysis_skips), replaced by every run that considers the call.
UPSERT_SKIP = """
insert into coaching.analysis_skips (call_id, call_date, scope, reason, detail)
values (%(call_id)s, %(call_date)s, %(scope)s, %(reason)s, %(detail)s)
on conflict (call_id) do update set
    call_date = excluded.call_date, scope = excluded.scope, reason = excluded.reason, detail = excluded.detail,
    recorded_at = now()
where (coaching.analysis_skips.call_date, coaching.analysis_skips.scope, coaching.analysis_skips.reason,
       coaching.analysis_skips.detail)
      is distinct from (excluded.call_date, excluded.scope, excluded.reason, excluded.detail)
"""

DELETE_SKIPS = "delete from coaching.analysis_skips where call_id = any(%(call_ids)s)"

INSERT_BATCH = """
insert into coaching.message_batches (batch_id, status, request_count, requests)
values (%(batch_id)s, %(status)s, %(request_count)s, %(requests)s)
"""

UPDATE_BATCH_STATUS = """
update coaching.message_batches
set status = %(status)s, ended_at = coalesce(ended_at, %(ended_at)s)
where batch_id = %(batch_id)s
"""

MARK_BATCH_COLLECTED = """
update coaching.message_batches set status = 'collected', collected_at = now() where batch_id = %(batch_id)s
"""

SELECT_UNCOLLECTED_BATCHES = """
select batch_id, requests from coaching.message_batches where collected_at is null order by submitted_at
"""

LOCK_BATCH = """
select collected_at from coaching.message_batches where batch_id = %(batch_id)s for update
"""

ABANDON_BATCH = """
update coaching.message_batches set status = 'abandoned', collected_at = now() where batch_id = %(batch_id)s
"""

SELECT_BREAKER = """
select state, failures, extract(epoch from opened_at)::float8 as opened_at,
       extract(epoch from open_until)::float8 as open_until, reason
from coaching.claude_breaker where name = %(name)s
"""

# An opening or closing always lands; a mere failure count only while the stored breaker is closed, so a run
# that has not seen another run open it cannot close it again by counting its own first failure.
UPSERT_BREAKER = """
insert into coaching.claude_breaker (name, state, failures, opened_at, open_until, reason, updated_at)
values (%(name)s, %(state)s, %(failures)s, to_timestamp(%(opened_at)s), to_timestamp(%(open_until)s), %(reason)s,
        now())
on conflict (name) do update set
    state = excluded.state, failures = excluded.failures, opened_at = excluded.opened_at,
    open_until = excluded.open_until, reason = excluded.reason, updated_at = now()
where %(transition)s or coaching.claude_breaker.state = 'closed'
"""
