"""Write rubrics and KB documents to the warehouse: everything validated first, then one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from coaching_pipeline.knowledge import queries
from coaching_pipeline.knowledge.errors import KnowledgeBaseError, RubricError
from coaching_pipeline.knowledge.kb import load_kb
from coaching_pipeline.knowledge.models import KnowledgeDocument, Rubric
from coaching_pipeline.knowledge.rubrics import load_released_rubrics
from coaching_pipeline.warehouse.db import connect, ensure_migrated


class SyncReport(BaseModel):
    """What one load did to one table; a re-run of the same files reports only unchanged rows."""

    table: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class KnowledgeSyncReport(BaseModel):
    rubrics: SyncReport
    kb_documents: SyncReport


def _revalidated(rubrics: Mapping[Any, Rubric] | Iterable[Rubric]) -> list[Rubric]:
    """Re-check models built elsewhere (model_construct skips validation); refuse clashing duplicates."""
    items = list(rubrics.values()) if isinstance(rubrics, Mapping) else list(rubrics)
    checked = [Rubric.model_validate(r.model_dump(mode="json", by_alias=True)) for r in items]
    by_key: dict[tuple[str, str], Rubric] = {}
    for rubric in checked:
        key = (rubric.dimension.value, rubric.version)
        if key in by_key and by_key[key].content_hash != rubric.content_hash:
            raise RubricError(None, None, f"two different rubrics claim {key[0]} {key[1]}")
        by_key[key] = rubric
    return list(by_key.values())


def _write_rubrics(conn: psycopg.Connection, rubrics: list[Rubric]) -> SyncReport:
    """Released rubrics are immutable in the warehouse too: a changed hash aborts before any insert."""
    conn.execute(queries.LOCK, (queries.KNOWLEDGE_LOCK_ID,))
    stored = {(r["dimension"], r["version"]): r["content_hash"] for r in conn.execute(queries.RUBRIC_HASHES)}
    new: list[Rubric] = []
    for rubric in rubrics:
        existing = stored.get((rubric.dimension.value, rubric.version))
        if existing is None:
            new.append(rubric)
        elif existing != rubric.content_hash:
            raise RubricError(
                None,
                None,
                f"coaching.rubrics holds {rubric.dimension} {rubric.version} with hash {existing[:12]} but "
                f"the rubric being loaded hashes to {rubric.content_hash[:12]}; a released version must "
                "never change: release the new content as a new version instead",
            )
    rows = [
        {
            "dimension": r.dimension.value,
            "version": r.version,
            "content_hash": r.content_hash,
            "content": Jsonb(r.model_dump(mode="json", by_alias=True)),
        }
        for r in new
    ]
    with conn.cursor() as cursor:
        cursor.executemany(queries.INSERT_RUBRIC, rows)
    return SyncReport(table="coaching.rubrics", inserted=len(new), unchanged=len(rubrics) - len(new))


def _write_kb(conn: psycopg.Connection, documents: list[KnowledgeDocument]) -> SyncReport:
    """KB documents are living content: a changed document under the same version is updated in place."""
    ids = [(d.document_id, d.version) for d in documents]
    if len(ids) != len(set(ids)):
        raise KnowledgeBaseError(None, "document_id", "the same document id and version appear twice")
    conn.execute(queries.LOCK, (queries.KNOWLEDGE_LOCK_ID,))
    stored = {(r["document_id"], r["version"]): r["content_hash"] for r in conn.execute(queries.KB_HASHES)}
    changed = [d for d in documents if stored.get((d.document_id, d.version)) != d.content_hash]
    rows = [
        {
            "document_id": d.document_id,
            "version": d.version,
            "product": d.product,
            "updated_on": d.updated,
            "content_hash": d.content_hash,
            "title": d.title,
            "body": d.body,
            "terms": Jsonb(d.terms),
            "competitors": Jsonb(d.competitors),
        }
        for d in changed
    ]
    with conn.cursor() as cursor:
        cursor.executemany(queries.UPSERT_KB_DOCUMENT, rows)
    updated = sum(1 for d in changed if (d.document_id, d.version) in stored)
    return SyncReport(
        table="coaching.kb_documents",
        inserted=len(changed) - updated,
        updated=updated,
        unchanged=len(documents) - len(changed),
    )


def sync_rubrics(url: str | None, rubrics: Mapping[Any, Rubric] | Iterable[Rubric]) -> SyncReport:
    """Insert rubrics not yet stored; accepts load_rubrics() (a dict) or any iterable of Rubric."""
    checked = _revalidated(rubrics)
    with connect(ensure_migrated(url)) as conn:
        return _write_rubrics(conn, checked)


def load_kb_documents(url: str | None, documents: Iterable[KnowledgeDocument]) -> SyncReport:
    """Insert new documents and update changed ones, in one transaction."""
    checked = [KnowledgeDocument.model_validate(d.model_dump()) for d in documents]
    with connect(ensure_migrated(url)) as conn:
        return _write_kb(conn, checked)


def sync_knowledge(
    url: str | None = None, rubrics_dir: Path | str | None = None, kb_dir: Path | str | None = None
) -> KnowledgeSyncReport:
    """`coaching kb load`: read every released rubric and every KB file, then write both in ONE transaction.

    Reading happens before the connection opens, so a broken file anywhere leaves the warehouse untouched.
    """
    rubrics = _revalidated(load_released_rubrics(rubrics_dir))
    documents = load_kb(kb_dir)
    with connect(ensure_migrated(url)) as conn:
        return KnowledgeSyncReport(rubrics=_write_rubrics(conn, rubrics), kb_documents=_write_kb(conn, documents))


def write_kb_documents(conn: psycopg.Connection, documents: Iterable[KnowledgeDocument]) -> SyncReport:
    """Write documents on the caller's connection and transaction (the MCP app's role cannot migrate)."""
    return _write_kb(conn, [KnowledgeDocument.model_validate(d.model_dump()) for d in documents])
