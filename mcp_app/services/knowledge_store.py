"""The knowledge base as the app uses it: the warehouse's newest version of each document over the files."""

from __future__ import annotations

import psycopg

from coaching_pipeline.knowledge.kb import load_kb
from coaching_pipeline.knowledge.models import KnowledgeDocument
from mcp_app.services import queries


def stored_documents(conn: psycopg.Connection) -> dict[str, KnowledgeDocument]:
    """The newest stored version of each document (what update_knowledge_base and `kb load` wrote)."""
    return {
        row["document_id"]: KnowledgeDocument.model_validate(
            {
                k: row[k]
                for k in ("document_id", "version", "product", "updated", "title", "body", "terms", "competitors")
            }
        )
        for row in conn.execute(queries.KB_CURRENT)
    }


def current_documents(conn: psycopg.Connection) -> list[KnowledgeDocument]:
    """kb/ files, each replaced by the warehouse's newest version of it, plus documents stored only there."""
    documents = {d.document_id: d for d in load_kb()}
    documents.update(stored_documents(conn))
    return [documents[key] for key in sorted(documents)]
