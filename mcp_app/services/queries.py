"""Every SQL statement the MCP services run, parameterized. Each read of rep data carries the scope filter:
`%(visible)s` is the principal's visible user ids, or null for an admin (everyone)."""

from __future__ import annotations

SCOPE = "(%(visible)s::text[] is null or {column} = any(%(visible)s::text[]))"

USER_BY_EMAIL = """
select user_id, email, trim(concat_ws(' ', first_name, last_name)) as full_name, role
from raw.users
where lower(email) = lower(%(email)s) and is_active
"""

USER_BY_ID = """
select user_id, email, trim(concat_ws(' ', first_name, last_name)) as full_name, role
from raw.users
where user_id = %(user_id)s
"""

# A manager sees their reports and everyone below them (Gong's manager hierarchy, transitively).
TEAM_OF = """
with recursive team as (
    select user_id from raw.users where user_id = %(user_id)s
    union
    select users.user_id from raw.users as users join team on users.manager_id = team.user_id
)
select user_id from team
"""

REPS_MATCHING = f"""
select user_id, email, full_name, team, user_role
from marts.reps
where {SCOPE.format(column="user_id")}
  and (user_id = %(needle)s or lower(email) = lower(%(needle)s) or lower(full_name) = lower(%(needle)s)
       or (%(partial)s and full_name ilike %(pattern)s))
order by full_name, user_id
limit 20
"""

REPS_IN_TEAM = f"""
select user_id from marts.reps where lower(team) = lower(%(team)s) and {SCOPE.format(column="user_id")}
"""

VISIBLE_TEAMS = f"select distinct team from marts.reps where {SCOPE.format(column='user_id')} order by team"

CALLS_BY_ID = f"""
select calls.call_id, calls.primary_user_id as rep_user_id, calls.title, calls.call_date, calls.url,
       calls.transcript_status, trim(concat_ws(' ', users.first_name, users.last_name)) as rep_name
from raw.calls as calls
left join raw.users as users on users.user_id = calls.primary_user_id
where calls.call_id = any(%(call_ids)s::text[]) and {SCOPE.format(column="calls.primary_user_id")}
"""

CALL_SCORES = f"""
select call_id, dimension, rubric_version, overall_score, analyzer, analyzer_model as model, prompt_version,
       analyzed_at, evidence, unverified_quote_count, strengths, improvements, call_url, call_title, call_date,
       rep_user_id, rep_name, 'marts' as source
from marts.call_scores
where call_id = any(%(call_ids)s::text[]) and {SCOPE.format(column="rep_user_id")}
order by call_id, dimension
"""

CALL_CRITERIA = f"""
select call_id, dimension, criterion_id, criterion_name, criterion_weight, criterion_score, rationale
from marts.call_criterion_scores
where call_id = any(%(call_ids)s::text[]) and {SCOPE.format(column="rep_user_id")}
order by call_id, dimension, criterion_id
"""

# Analyses the engine stored since the marts were last built (current rubric versions only).
FRESH_ANALYSES = f"""
select analyses.call_id, analyses.dimension, analyses.rubric_version, analyses.overall_score, analyses.analyzer,
       analyses.model, analyses.prompt_version, analyses.analyzed_at, analyses.evidence,
       analyses.unverified_quote_count, analyses.strengths, analyses.improvements, analyses.criterion_scores,
       calls.url as call_url, calls.title as call_title, calls.call_date, analyses.rep_user_id,
       null as rep_name, 'analysis' as source
from coaching.call_analyses as analyses
join raw.calls as calls on calls.call_id = analyses.call_id
join unnest(%(dimensions)s::text[], %(versions)s::text[]) as current_rubric (dimension, rubric_version)
    on current_rubric.dimension = analyses.dimension and current_rubric.rubric_version = analyses.rubric_version
where analyses.call_id = %(call_id)s and {SCOPE.format(column="calls.primary_user_id")}
order by analyses.dimension
"""

LATEST_WEEK = "select max(week_start) as week_start from marts.rep_weekly_trends"

REP_TRENDS = f"""
select dimension, week_start, call_count, mean_score, rolling_4w_mean_score, week_over_week_change,
       rubric_version
from marts.rep_weekly_trends
where rep_user_id = %(rep_user_id)s and week_start > %(since)s and {SCOPE.format(column="rep_user_id")}
order by dimension, week_start
"""

REP_BENCHMARKS = f"""
select dimension, rubric_version, window_start_week, window_end_week, call_count, mean_score,
       team_percentile, team_rep_count, team_mean_score, role_percentile, role_rep_count, role_mean_score
from marts.rep_benchmarks
where rep_user_id = %(rep_user_id)s and {SCOPE.format(column="rep_user_id")}
order by dimension
"""

REP_INTERACTION = f"""
select * from marts.rep_interaction_stats
where rep_user_id = %(rep_user_id)s and {SCOPE.format(column="rep_user_id")}
"""

REP_FOCUS = f"""
select focus_rank, dimension, criterion_id, criterion_name, rubric_version, mean_criterion_score,
       scored_call_count, lowest_scored_call_id, lowest_scored_call_url, evidence_quotes, drills,
       window_start_week, window_end_week
from marts.rep_coaching_focus
where rep_user_id = %(rep_user_id)s and {SCOPE.format(column="rep_user_id")}
order by focus_rank
"""

SEARCH_CALLS = f"""
select calls.call_id, calls.call_date, calls.started_at, calls.title, calls.url, calls.call_type,
       calls.duration_seconds, calls.primary_user_id as rep_user_id,
       trim(concat_ws(' ', users.first_name, users.last_name)) as rep_name,
       coalesce(users.team, 'Unassigned') as team
from raw.calls as calls
join raw.transcripts as transcripts on transcripts.call_id = calls.call_id
left join raw.users as users on users.user_id = calls.primary_user_id
where {SCOPE.format(column="calls.primary_user_id")}
  and (%(rep_ids)s::text[] is null or calls.primary_user_id = any(%(rep_ids)s::text[]))
  and (%(date_from)s::date is null or calls.call_date >= %(date_from)s::date)
  and (%(date_to)s::date is null or calls.call_date <= %(date_to)s::date)
  and (%(query)s::text is null
       or transcripts.search_vector @@ websearch_to_tsquery('english', %(query)s::text))
  and (%(competitor)s::text is null
       or transcripts.search_vector @@ phraseto_tsquery('english', %(competitor)s::text))
  and (not %(scored)s or exists (
      select 1 from marts.call_scores as scores
      where scores.call_id = calls.call_id
        and (%(dimension)s::text is null or scores.dimension = %(dimension)s::text)
        and (%(min_score)s::numeric is null or scores.overall_score >= %(min_score)s::numeric)
        and (%(max_score)s::numeric is null or scores.overall_score <= %(max_score)s::numeric)
  ))
order by calls.call_date desc, calls.started_at desc, calls.call_id
limit %(limit)s
"""

# The sentences of the hits that match, highlighted, with who said them and when.
SNIPPETS = """
select transcripts.call_id, matched.speaker_name, matched.speaker_role, matched.start_ms, matched.snippet
from raw.transcripts as transcripts
cross join lateral (
    select transcripts.normalized -> 'speakers' -> (turn ->> 'speaker_id') ->> 'name' as speaker_name,
           transcripts.normalized -> 'speakers' -> (turn ->> 'speaker_id') ->> 'role' as speaker_role,
           cast(sentence ->> 'start_ms' as bigint) as start_ms,
           ts_headline('english', sentence ->> 'text', query, 'StartSel=**, StopSel=**, MaxWords=40, MinWords=15')
               as snippet
    from jsonb_array_elements(transcripts.normalized -> 'turns') as turn,
         jsonb_array_elements(turn -> 'sentences') as sentence,
         websearch_to_tsquery('english', %(query)s::text) as query
    where to_tsvector('english', sentence ->> 'text') @@ query
    order by start_ms
    limit %(per_call)s
) as matched
where transcripts.call_id = any(%(call_ids)s::text[])
order by transcripts.call_id, matched.start_ms
"""

SCORES_OF_CALLS = """
select call_id, dimension, overall_score
from marts.call_scores
where call_id = any(%(call_ids)s::text[])
order by call_id, dimension
"""

TRANSCRIPTS_OF_CALLS = f"""
select calls.call_id, calls.call_date, calls.url, calls.title, calls.call_type, transcripts.normalized
from raw.calls as calls
join raw.transcripts as transcripts on transcripts.call_id = calls.call_id
where calls.call_id = any(%(call_ids)s::text[]) and {SCOPE.format(column="calls.primary_user_id")}
order by calls.call_date desc, calls.call_id
"""

RECENT_SCORED_CALLS = f"""
select call_id
from marts.call_scores
where rep_user_id = %(rep_user_id)s and dimension = %(dimension)s and {SCOPE.format(column="rep_user_id")}
order by call_date desc, call_id
limit %(limit)s
"""

READY_CALLS_MATCHING = f"""
select calls.call_id
from raw.calls as calls
where calls.transcript_status = 'ready' and {SCOPE.format(column="calls.primary_user_id")}
  and (%(rep_ids)s::text[] is null or calls.primary_user_id = any(%(rep_ids)s::text[]))
  and (%(date_from)s::date is null or calls.call_date >= %(date_from)s::date)
  and (%(date_to)s::date is null or calls.call_date <= %(date_to)s::date)
order by calls.call_date, calls.call_id
limit %(limit)s
"""

KB_CURRENT = """
select distinct on (document_id) document_id, version, product, updated_on as updated, title, body, terms,
       competitors, content_hash, loaded_at
from coaching.kb_documents
order by document_id, loaded_at desc, version desc
"""

KB_VERSION = "select content_hash from coaching.kb_documents where document_id = %(doc)s and version = %(version)s"

# Current analyses that read the knowledge base and were made before it changed.
STALE_ANALYSES = """
select analyses.call_id, analyses.dimension, analyses.analyzed_at
from coaching.call_analyses as analyses
join raw.transcripts as transcripts on transcripts.call_id = analyses.call_id
where analyses.dimension = any(%(dimensions)s::text[]) and analyses.analyzed_at < %(changed_at)s
  and (%(terms)s::text is null or transcripts.search_vector @@ websearch_to_tsquery('english', %(terms)s::text))
order by analyses.analyzed_at desc, analyses.call_id, analyses.dimension
"""

INSERT_JOB = """
insert into mcp.analysis_jobs (job_id, principal_user_id, principal_email, call_ids, dimensions, status,
                               total_units, estimate)
values (%(job_id)s, %(user_id)s, %(email)s, %(call_ids)s, %(dimensions)s, 'running', %(total_units)s,
        %(estimate)s)
"""

UPDATE_JOB = """
update mcp.analysis_jobs
set done_units = %(done_units)s, status = %(status)s, report = %(report)s, error = %(error)s,
    finished_at = case when %(status)s = 'running' then null else now() end
where job_id = %(job_id)s
"""

JOB = """
select job_id, principal_user_id, principal_email, status, total_units, done_units, estimate, report, error,
       started_at, finished_at
from mcp.analysis_jobs
where job_id = %(job_id)s and (%(admin)s or principal_user_id = %(user_id)s)
"""
