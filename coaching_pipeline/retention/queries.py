"""Every statement of a purge, parameterized by the cutoff date (calls dated before it lose their text).

Each entry is (table it changes, SQL). Order matters only for the transcripts: the analysis cache is found
through their fingerprints, which a purge keeps.
"""


def _empty(table: str, column: str, empty: str) -> tuple[str, str]:
    """Empty a JSON column on rows dated before the cutoff; names and literals are this module's constants."""
    value = f"'{empty}'::jsonb"
    return table, f"update {table} set {column} = {value} where call_date < %(cutoff)s and {column} <> {value}"


PURGE_TRANSCRIPT_TEXT = [
    (
        "raw.transcript_chunks",
        """
        delete from raw.transcript_chunks as k
        using raw.calls as c
        where c.call_id = k.call_id and c.call_date < %(cutoff)s
        """,
    ),
    (
        "coaching.analysis_cache",
        """
        delete from coaching.analysis_cache as a
        using raw.transcripts as t, raw.calls as c
        where a.transcript_sha256 = t.sha256 and c.call_id = t.call_id and c.call_date < %(cutoff)s
        """,
    ),
    (
        "raw.transcripts",
        """
        update raw.transcripts as t
        set payload = '[]'::jsonb, normalized = '{}'::jsonb, purged_at = now()
        from raw.calls as c
        where c.call_id = t.call_id and c.call_date < %(cutoff)s and t.purged_at is null
        """,
    ),
    (
        "raw.calls",
        """
        update raw.calls
        set payload = jsonb_strip_nulls(jsonb_build_object('metaData', payload -> 'metaData')),
            transcript_status = case when transcript_status = 'ready' then 'purged' else transcript_status end,
            updated_at = now()
        where call_date < %(cutoff)s
          and (transcript_status = 'ready' or payload - 'metaData' <> '{}'::jsonb)
        """,
    ),
    (
        "raw.call_participants",
        """
        update raw.call_participants as p
        set name = null, email = null, title = null
        from raw.calls as c
        where c.call_id = p.call_id and c.call_date < %(cutoff)s and p.affiliation <> 'Internal'
          and (p.name is not null or p.email is not null or p.title is not null)
        """,
    ),
    _empty("raw.ingestion_issues", "detail", "{}"),
    _empty("coaching.analysis_failures", "detail", "{}"),
    (
        "raw.gong_webhook_events",
        """
        update raw.gong_webhook_events set body = null, purged_at = now()
        where body is not null
          and (call_started_at < %(cutoff_at)s or (call_started_at is null and received_at < %(cutoff_at)s))
        """,
    ),
]

# Evidence quotes are verbatim transcript text; COACHING_RETENTION_KEEP_EVIDENCE=true skips these. The marts
# hold copies that dbt would only replace on their next rebuild, so they are cleared in place too.
DROP_EVIDENCE = [
    _empty("coaching.call_analyses", "evidence", "[]"),
    _empty("marts.call_scores", "evidence", "[]"),
    (
        "marts.rep_coaching_focus",
        """
        with kept as (
            select
                f.rep_user_id,
                f.focus_rank,
                coalesce(
                    jsonb_agg(q.quote order by q.position) filter (
                        where (q.quote ->> 'call_date')::date >= %(cutoff)s
                    ),
                    '[]'::jsonb
                ) as quotes
            from marts.rep_coaching_focus as f
            cross join lateral jsonb_array_elements(f.evidence_quotes) with ordinality as q (quote, position)
            group by f.rep_user_id, f.focus_rank
        )
        update marts.rep_coaching_focus as f
        set evidence_quotes = kept.quotes,
            quote_count = jsonb_array_length(kept.quotes),
            top_quote = kept.quotes -> 0 ->> 'quote',
            top_quote_call_id = kept.quotes -> 0 ->> 'call_id',
            top_quote_call_url = kept.quotes -> 0 ->> 'call_url',
            top_quote_start_seconds = (kept.quotes -> 0 ->> 'start_seconds')::numeric
        from kept
        where f.rep_user_id = kept.rep_user_id and f.focus_rank = kept.focus_rank
          and jsonb_array_length(kept.quotes) < jsonb_array_length(f.evidence_quotes)
        """,
    ),
]

TABLE_EXISTS = "select to_regclass(%(table)s) is not null as present"

INSERT_AUDIT = """
insert into coaching.retention_purges
    (cutoff_date, retention_days, kept_evidence, triggered_by, run_id, rows_affected, started_at)
values (%(cutoff_date)s, %(retention_days)s, %(kept_evidence)s, %(triggered_by)s, %(run_id)s, %(rows_affected)s,
        %(started_at)s)
returning purge_id
"""
