"""The SQL that writes rubrics and knowledge-base documents to the warehouse, parameterized."""

from __future__ import annotations

# Knowledge loads serialize on this advisory lock, so two loaders cannot both see "absent" and race.
KNOWLEDGE_LOCK_ID = 7_240_404

LOCK = "select pg_advisory_xact_lock(%s)"

RUBRIC_HASHES = "select dimension, version, content_hash from coaching.rubrics"

INSERT_RUBRIC = """
insert into coaching.rubrics (dimension, version, content_hash, content)
values (%(dimension)s, %(version)s, %(content_hash)s, %(content)s)
"""

KB_HASHES = "select document_id, version, content_hash from coaching.kb_documents"

UPSERT_KB_DOCUMENT = """
insert into coaching.kb_documents (
    document_id, version, product, updated_on, content_hash, title, body, terms, competitors
)
values (
    %(document_id)s, %(version)s, %(product)s, %(updated_on)s, %(content_hash)s, %(title)s, %(body)s,
    %(terms)s, %(competitors)s
)
on conflict (document_id, version) do update set
    product = excluded.product,
    updated_on = excluded.updated_on,
    content_hash = excluded.content_hash,
    title = excluded.title,
    body = excluded.body,
    terms = excluded.terms,
    competitors = excluded.competitors,
    loaded_at = now()
"""
