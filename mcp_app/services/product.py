"""analyze_product_knowledge: which knowledge-base facts a rep used, missed or got wrong, per document."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coaching_pipeline.analysis.offline.view import SpokenSentence, build_view, matches, singular
from coaching_pipeline.knowledge.models import Dimension, KnowledgeDocument
from coaching_pipeline.transcripts.models import Transcript
from coaching_pipeline.transcripts.render import format_timestamp
from mcp_app.services import knowledge_store, queries
from mcp_app.services.answers import EvidenceQuote
from mcp_app.services.calls import stored_results
from mcp_app.services.context import AppContext
from mcp_app.services.errors import NotFound
from mcp_app.services.people import RepRef, resolve_rep, scope, visible_calls
from mcp_app.services.principal import Principal

WEAK = 2  # a product-knowledge criterion scored this or lower counts as stated wrongly or weakly


class DocumentRef(BaseModel):
    document_id: str
    title: str
    version: str
    uri: str = Field(description="The MCP resource holding the document.")


class FactUse(BaseModel):
    fact: str = Field(description="A knowledge-base term or competitor.")
    document_id: str
    calls: int = Field(description="Calls in which it happened.")
    example: EvidenceQuote


class Inaccuracy(BaseModel):
    call_id: str
    criterion_id: str
    criterion_name: str | None
    score: int
    rationale: str | None
    evidence: list[EvidenceQuote]


class ProductKnowledgeReport(BaseModel):
    rep: RepRef | None
    call_ids: list[str]
    mean_product_knowledge_score: float | None = Field(description="Mean over the calls, from marts.call_scores.")
    used: list[FactUse] = Field(description="Terms the rep said.")
    missed: list[FactUse] = Field(description="Terms or competitors the customer raised that the rep never used.")
    stated_wrongly: list[Inaccuracy] = Field(description="Product-knowledge criteria the analysis scored 1-2.")
    documents: list[DocumentRef] = Field(description="The documents the facts above come from.")

    def row_count(self) -> int:
        return len(self.call_ids)


def _sentence_quote(s: SpokenSentence, call_id: str, url: str | None) -> EvidenceQuote:
    return EvidenceQuote(
        quote=s.text,
        speaker=s.speaker_name,
        start_seconds=s.start_ms / 1000,
        timestamp=format_timestamp(s.start_ms),
        verified=True,
        call_id=call_id,
        call_url=url,
    )


def _facts(documents: list[KnowledgeDocument]) -> dict[str, str]:
    """fact -> document id (the first document naming it), also under the singular form matching reports."""
    facts: dict[str, str] = {}
    for doc in documents:
        for fact in [*doc.terms, *doc.competitors]:
            facts.setdefault(fact, doc.document_id)
            facts.setdefault(singular(fact), doc.document_id)
    return facts


def analyze_product_knowledge(
    ctx: AppContext, principal: Principal, call_id: str | None, rep: str | None, calls: int
) -> ProductKnowledgeReport:
    """One call, or the rep's latest `calls` scored calls (the principal's own when neither is given)."""
    with ctx.read() as conn:
        who = None
        if call_id:
            visible_calls(conn, principal, [call_id])
            ids = [call_id]
        else:
            who = resolve_rep(conn, principal, rep)
            params = scope(principal, rep_user_id=who.user_id, dimension=Dimension.PRODUCT_KNOWLEDGE.value, limit=calls)
            ids = [r["call_id"] for r in conn.execute(queries.RECENT_SCORED_CALLS, params)]
            if not ids:
                raise NotFound(f"{who.name or who.user_id} has no product-knowledge scores yet")
        rows = conn.execute(queries.TRANSCRIPTS_OF_CALLS, scope(principal, call_ids=ids)).fetchall()
        documents = knowledge_store.current_documents(conn)
    if call_id and not rows:
        raise NotFound(f"call {call_id} has no transcript yet; try later")
    facts = _facts(documents)
    phrases = sorted({f for d in documents for f in [*d.terms, *d.competitors]})
    used: dict[str, FactUse] = {}
    raised: dict[str, FactUse] = {}
    for row in rows:
        view = build_view(Transcript.model_validate(row["normalized"]), row["call_type"])
        said = {f: s for s in view.rep_sentences for f in matches(s, phrases, plurals=True)}
        heard = {f: s for s in view.customer_sentences for f in matches(s, phrases, plurals=True)}
        for target, found in ((used, said), (raised, {f: s for f, s in heard.items() if f not in said})):
            for fact, sentence in found.items():
                if fact in target:
                    target[fact].calls += 1
                else:
                    target[fact] = FactUse(
                        fact=fact,
                        document_id=facts[fact],
                        calls=1,
                        example=_sentence_quote(sentence, row["call_id"], row["url"]),
                    )
    results = stored_results(ctx, principal, ids)
    wrong, scores = [], []
    for cid in ids:
        for result in results.get(cid, []):
            if result.dimension != Dimension.PRODUCT_KNOWLEDGE.value:
                continue
            scores.append(result.overall_score)
            wrong += [
                Inaccuracy(
                    call_id=cid,
                    criterion_id=c.criterion_id,
                    criterion_name=c.name,
                    score=c.score,
                    rationale=c.rationale,
                    evidence=[q for q in result.evidence if q.criterion_id == c.criterion_id],
                )
                for c in result.criteria
                if c.score <= WEAK
            ]
    cited = {f.document_id for f in [*used.values(), *raised.values()]}
    return ProductKnowledgeReport(
        rep=who,
        call_ids=ids,
        mean_product_knowledge_score=round(sum(scores) / len(scores), 4) if scores else None,
        used=sorted(used.values(), key=lambda f: (-f.calls, f.fact)),
        missed=sorted(raised.values(), key=lambda f: (-f.calls, f.fact)),
        stated_wrongly=wrong,
        documents=[
            DocumentRef(
                document_id=d.document_id, title=d.title, version=d.version, uri=f"coaching://kb/{d.document_id}"
            )
            for d in documents
            if d.document_id in cited
        ],
    )
