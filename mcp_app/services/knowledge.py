"""update_knowledge_base and the rubric and knowledge-base resources."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from coaching_pipeline.knowledge.errors import KnowledgeBaseError, RubricError
from coaching_pipeline.knowledge.kb import load_kb_file
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.knowledge.rubrics import load_rubric
from coaching_pipeline.knowledge.store import write_kb_documents
from mcp_app.services import knowledge_store, queries
from mcp_app.services.context import AppContext
from mcp_app.services.errors import Denied, InvalidRequest, NotFound
from mcp_app.services.principal import Principal

# The dimensions whose rubrics judge what the rep said against the knowledge base.
KB_DIMENSIONS = (Dimension.PRODUCT_KNOWLEDGE.value, Dimension.OBJECTION_HANDLING.value)
STALE_SHOWN = 50


class StaleAnalysis(BaseModel):
    call_id: str
    dimension: str
    analyzed_at: datetime


class KnowledgeUpdate(BaseModel):
    document_id: str
    version: str
    stored: bool = Field(description="False when the content equals the stored version: nothing was written.")
    previous_version: str | None
    stale_analysis_count: int = Field(description="Current analyses made before this change that it may alter.")
    stale_analyses: list[StaleAnalysis] = Field(description=f"The newest {STALE_SHOWN} of them.")
    advice: str

    def row_count(self) -> int:
        return int(self.stored)


def update_knowledge_base(ctx: AppContext, principal: Principal, doc: str, content: str) -> KnowledgeUpdate:
    """Validate with the loader `coaching kb load` uses, then store a new version or nothing."""
    if not principal.is_admin:
        raise Denied("only an admin can update the knowledge base; ask one to make this change")
    with tempfile.TemporaryDirectory(prefix="kb-update-") as folder:
        path = Path(folder) / f"{doc}.md"
        path.write_text(content, encoding="utf-8")
        try:
            document = load_kb_file(path)
        except KnowledgeBaseError as exc:
            raise InvalidRequest(f"the document does not validate: {exc}") from None
    with ctx.read() as conn:
        current = knowledge_store.stored_documents(conn).get(doc)
        if current is not None and current.content_hash == document.content_hash:
            return KnowledgeUpdate(
                document_id=doc,
                version=document.version,
                stored=False,
                previous_version=current.version,
                stale_analysis_count=0,
                stale_analyses=[],
                advice="unchanged: this is the stored version",
            )
        if conn.execute(queries.KB_VERSION, {"doc": doc, "version": document.version}).fetchone():
            raise InvalidRequest(
                f"{doc} {document.version} is already stored with other content; give the new content a new "
                "version in its front matter (e.g. v2)"
            )
    with ctx.read() as conn, conn.transaction():
        write_kb_documents(conn, [document])
        changed_at = conn.execute("select now() as at").fetchone()["at"]
        facts = {
            *document.terms,
            *document.competitors,
            *(current.terms if current else []),
            *(current.competitors if current else []),
        }
        terms = " or ".join(f'"{f.replace(chr(34), " ")}"' for f in sorted(facts)) or None
        stale = conn.execute(
            queries.STALE_ANALYSES, {"dimensions": list(KB_DIMENSIONS), "changed_at": changed_at, "terms": terms}
        ).fetchall()
    ctx.knowledge_changed()
    return KnowledgeUpdate(
        document_id=doc,
        version=document.version,
        stored=True,
        previous_version=current.version if current else None,
        stale_analysis_count=len(stale),
        stale_analyses=[StaleAnalysis.model_validate(dict(r)) for r in stale[:STALE_SHOWN]],
        advice="re-run the stale analyses with batch_analyze_calls(..., force=true) or analyze_call(force=true); "
        "new analyses use this version now",
    )


def rubric_text(dimension: str) -> str:
    """The current released rubric of a dimension, as JSON."""
    try:
        rubric = load_rubric(dimension)
    except RubricError as exc:
        raise NotFound(str(exc)) from None
    return json.dumps(rubric.model_dump(mode="json", by_alias=True), indent=2)


def kb_text(ctx: AppContext, doc: str) -> str:
    """The current version of a knowledge-base document, as its markdown file would hold it."""
    with ctx.read() as conn:
        documents = {d.document_id: d for d in knowledge_store.current_documents(conn)}
    if doc not in documents:
        raise NotFound(f"no knowledge-base document {doc!r}; known: {', '.join(sorted(documents))}")
    d = documents[doc]
    front = {
        "product": d.product,
        "version": d.version,
        "updated": d.updated.isoformat(),
        "title": d.title,
        "terms": d.terms,
        "competitors": d.competitors,
    }
    return "---\n" + "\n".join(f"{k}: {json.dumps(v)}" for k, v in front.items()) + "\n---\n" + d.body + "\n"
