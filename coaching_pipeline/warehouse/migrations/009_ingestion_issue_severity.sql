-- An ingestion issue is an error (the call has no usable transcript: why) or a warning (the transcript is
-- stored and analysed, with something to know, e.g. sentences from speaker ids no party matched). Every row
-- recorded before this migration was an error. Still one row per (call, stage): a re-run replaces it.
alter table raw.ingestion_issues
    add column severity text not null default 'error' check (severity in ('error', 'warning'));
