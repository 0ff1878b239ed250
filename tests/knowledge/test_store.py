"""Rubrics and KB documents reach the warehouse idempotently, and a broken input writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from coaching_pipeline.knowledge.kb import KnowledgeBaseError, load_kb
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.knowledge.rubrics import RubricError, load_rubrics
from coaching_pipeline.knowledge.store import load_kb_documents, sync_knowledge, sync_rubrics


def _count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"select count(*) from coaching.{table}").fetchone()
    assert row is not None
    return int(row[0])


def test_sync_rubrics_is_idempotent(private_db: str) -> None:
    first = sync_rubrics(private_db, load_rubrics())
    second = sync_rubrics(private_db, load_rubrics())
    assert (first.inserted, first.unchanged) == (4, 0)
    assert (second.inserted, second.unchanged) == (0, 4)
    assert _count(private_db, "rubrics") == 4


def test_sync_rubrics_stores_hash_and_content(private_db: str) -> None:
    rubric = load_rubrics()[Dimension.DISCOVERY]
    sync_rubrics(private_db, [rubric])
    with psycopg.connect(private_db) as conn:
        row = conn.execute("select content_hash, content from coaching.rubrics").fetchone()
    assert row is not None
    assert row[0] == rubric.content_hash
    assert row[1]["criteria"][0]["anchors"]["5"] == rubric.criteria[0].anchors.score_5


def test_sync_rubrics_changed_release_writes_nothing(private_db: str) -> None:
    rubrics = load_rubrics()
    changed = rubrics[Dimension.ENGAGEMENT].model_copy(update={"title": "Engaged"})
    sync_rubrics(private_db, [changed])
    with pytest.raises(RubricError, match="engagement v1 .* must never change"):
        sync_rubrics(private_db, rubrics)
    assert _count(private_db, "rubrics") == 1


def test_load_kb_documents_is_idempotent(private_db: str) -> None:
    first = load_kb_documents(private_db, load_kb())
    second = load_kb_documents(private_db, load_kb())
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)


def test_load_kb_documents_updates_edited_document(private_db: str) -> None:
    documents = load_kb()
    load_kb_documents(private_db, documents)
    edited = [documents[0].model_copy(update={"terms": [*documents[0].terms, "new term"]}), *documents[1:]]
    report = load_kb_documents(private_db, edited)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 2)
    with psycopg.connect(private_db) as conn:
        row = conn.execute(
            "select terms, content_hash from coaching.kb_documents where document_id = %s",
            (documents[0].document_id,),
        ).fetchone()
    assert row is not None
    assert row == (edited[0].terms, edited[0].content_hash)


def test_sync_knowledge_loads_rubrics_and_kb_once(private_db: str) -> None:
    first = sync_knowledge(private_db)
    second = sync_knowledge(private_db)
    assert (first.rubrics.inserted, first.kb_documents.inserted) == (4, 3)
    assert (second.rubrics.unchanged, second.kb_documents.unchanged) == (4, 3)
    assert second.rubrics.inserted + second.kb_documents.inserted == 0


def test_sync_knowledge_broken_kb_file_writes_nothing(private_db: str, rubrics_dir: Path, kb_dir: Path) -> None:
    broken = kb_dir / "horizon_features.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("2026-07-27", "last week", 1), "utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"horizon_features\.md: updated"):
        sync_knowledge(private_db, rubrics_dir, kb_dir)
    assert _count(private_db, "rubrics") + _count(private_db, "kb_documents") == 0


def test_sync_knowledge_broken_rubric_writes_nothing(
    private_db: str, write_rubric: Callable[..., Path], rubrics_dir: Path, kb_dir: Path
) -> None:
    write_rubric(lambda data: data["criteria"][0].update(weight=0), version="v1", dimension="engagement")
    with pytest.raises(RubricError, match=r"engagement/v1\.yaml: criteria\[0\]\.weight"):
        sync_knowledge(private_db, rubrics_dir, kb_dir)
    assert _count(private_db, "rubrics") + _count(private_db, "kb_documents") == 0
