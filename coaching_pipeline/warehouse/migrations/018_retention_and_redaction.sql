-- Retention: a purged call keeps its scores, criteria, stats and transcript fingerprint, loses its text.
alter table raw.calls drop constraint calls_transcript_status_check;
alter table raw.calls add constraint calls_transcript_status_check
    check (transcript_status in ('pending', 'ready', 'invalid', 'purged'));
alter table raw.transcripts add column purged_at timestamptz;

-- One row per purge: what ran it, the cutoff, and the rows it changed per table.
create table coaching.retention_purges (
    purge_id bigserial primary key,
    cutoff_date date not null,
    retention_days integer not null check (retention_days > 0),
    kept_evidence boolean not null,
    triggered_by text not null,
    run_id text,
    rows_affected jsonb not null,
    started_at timestamptz not null,
    finished_at timestamptz not null default now()
);

-- The analysis cache key includes the redaction policy's version (text sent to Claude is redacted).
alter table coaching.analysis_cache add column redaction_version text not null default 'none';
