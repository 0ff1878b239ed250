"""The FastMCP app: thin tools over mcp_app.services, the rubric and knowledge-base resources, a 1:1 prompt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Literal, TypeVar

import anyio
from fastmcp import Context, FastMCP
from fastmcp.exceptions import ToolError
from fastmcp.server.auth import AuthProvider
from mcp.types import ToolAnnotations
from pydantic import Field

from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.reviews.render import ReportFormat
from mcp_app.audit import Counted, answered
from mcp_app.middleware import PrincipalAndAudit, current_principal
from mcp_app.prompt import one_on_one_prompt
from mcp_app.services import batches, calls, compare, insights, knowledge, plan, product, reports, search
from mcp_app.services.context import AppContext
from mcp_app.services.errors import ServiceError
from mcp_app.services.principal import Role

READ = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)
ANALYSE = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=True, openWorldHint=False)
BATCH = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=False)
UPDATE = ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=True, openWorldHint=False)

CallId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$", description="A Gong call id.")
]
Rep = Annotated[
    str | None,
    Field(max_length=200, description="A rep's email, Gong user id or name; omit for yourself."),
]
Dimensions = Annotated[
    list[Dimension] | None,
    Field(min_length=1, max_length=4, description="Coaching dimensions; omit for all four."),
]
Day = Annotated[date | None, Field(description="A day, YYYY-MM-DD.")]
Score = Annotated[float | None, Field(ge=1, le=5, description="A score from 1 to 5.")]
T = TypeVar("T", bound=Counted)


def serve(call: Callable[[], T]) -> T:
    """Run a service; its expected failures become ToolErrors whose message tells the user what to do."""
    try:
        return answered(call())
    except ServiceError as exc:
        raise ToolError(str(exc)) from exc


INSTRUCTIONS = (
    "Coaching data for sales reps and managers: call scores on four dimensions (discovery, product knowledge, "
    "objection handling, engagement), trends, benchmarks, coaching plans and transcript search. Every answer "
    "is limited to the calls the signed-in person may see: their own, or their team's for a manager."
)


def create_app(
    ctx: AppContext,
    *,
    stdio_email: str | None = None,
    stdio_role: Role | None = None,
    auth: AuthProvider | None = None,
) -> FastMCP:
    """The server; over stdio the principal is `stdio_email`, over HTTP the bearer token `auth` verifies."""
    mcp = FastMCP(
        "coaching",
        instructions=INSTRUCTIONS,
        auth=auth,
        mask_error_details=True,
        middleware=[PrincipalAndAudit(ctx, stdio_email=stdio_email, stdio_role=stdio_role)],
    )

    @mcp.tool(annotations=ANALYSE)
    def analyze_call(
        call_id: CallId,
        dimensions: Dimensions = None,
        force: Annotated[bool, Field(description="Analyse again even if scores exist (costs money).")] = False,
    ) -> calls.CallAnalysis:
        """A call's scores per dimension with each criterion's score and rationale and verified evidence
        quotes; dimensions not scored yet are analysed now (cache first), and `force` re-analyses."""
        return serve(lambda: calls.analyze_call(ctx, current_principal(), call_id, dimensions, force))

    @mcp.tool(annotations=READ)
    def get_rep_insights(
        rep: Rep = None,
        weeks: Annotated[int, Field(ge=1, le=52, description="Weeks of trend, back from the newest.")] = 12,
    ) -> insights.RepInsights:
        """A rep's weekly trend per dimension, benchmarks against team and role, interaction habits against
        Gong's guidance, and strongest and weakest areas."""
        return serve(lambda: insights.get_rep_insights(ctx, current_principal(), rep, weeks))

    @mcp.tool(annotations=READ)
    def search_calls(
        query: Annotated[str | None, Field(max_length=200, description="Words to find in transcripts.")] = None,
        rep: Rep = None,
        team: Annotated[str | None, Field(max_length=100, description="A team name.")] = None,
        date_from: Day = None,
        date_to: Day = None,
        dimension: Annotated[Dimension | None, Field(description="Dimension the score filters apply to.")] = None,
        min_score: Score = None,
        max_score: Score = None,
        competitor: Annotated[str | None, Field(max_length=100, description="A competitor named in the call.")] = None,
        limit: Annotated[int, Field(ge=1, le=50, description="At most this many calls (50 max).")] = 10,
    ) -> search.SearchResults:
        """Calls whose transcripts match `query` (web-search syntax: "exact phrase", or, -word) and the
        filters, newest first, each with the matching sentences, who said them and when."""
        filters = search.SearchFilters(
            query=query,
            rep=rep,
            team=team,
            date_from=date_from,
            date_to=date_to,
            dimension=dimension,
            min_score=min_score,
            max_score=max_score,
            competitor=competitor,
            limit=limit,
        )
        return serve(lambda: search.search_calls(ctx, current_principal(), filters))

    @mcp.tool(annotations=READ)
    def compare_calls(
        call_ids: Annotated[list[CallId], Field(min_length=2, max_length=5, description="2 to 5 call ids.")],
    ) -> compare.CallComparison:
        """Two to five calls side by side per dimension and criterion, with what differed most and evidence."""
        return serve(lambda: compare.compare_calls(ctx, current_principal(), call_ids))

    @mcp.tool(annotations=READ)
    def analyze_product_knowledge(
        call_id: Annotated[
            str | None, Field(max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$", description="A call.")
        ] = None,
        rep: Rep = None,
        calls: Annotated[int, Field(ge=1, le=50, description="For a rep: how many latest calls.")] = 10,
    ) -> product.ProductKnowledgeReport:
        """Knowledge-base facts a call (or a rep's latest calls) used, missed or stated wrongly, with the
        documents they come from."""
        return serve(lambda: product.analyze_product_knowledge(ctx, current_principal(), call_id, rep, calls))

    @mcp.tool(annotations=READ)
    def get_coaching_plan(rep: Rep = None) -> plan.CoachingPlan:
        """Prioritised focus areas from the marts, each with quotes from real calls, the rubric's drills and
        a measurable target for the coming weeks."""
        return serve(lambda: plan.get_coaching_plan(ctx, current_principal(), rep))

    @mcp.tool(annotations=UPDATE)
    def update_knowledge_base(
        doc: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9_]+$", description="Document id.")],
        content: Annotated[
            str, Field(min_length=1, max_length=200_000, description="The whole markdown file, front matter first.")
        ],
    ) -> knowledge.KnowledgeUpdate:
        """Admins: store a new version of a knowledge-base document (validated like `coaching kb load`),
        or nothing if unchanged; says which analyses it makes stale."""
        return serve(lambda: knowledge.update_knowledge_base(ctx, current_principal(), doc, content))

    @mcp.tool(annotations=BATCH)
    async def batch_analyze_calls(
        context: Context,
        max_cost_usd: Annotated[float, Field(ge=0, le=1000, description="Refuse if the estimate is above.")],
        call_ids: Annotated[list[CallId] | None, Field(min_length=1, max_length=500, description="Calls.")] = None,
        rep: Rep = None,
        team: Annotated[str | None, Field(max_length=100, description="A team name.")] = None,
        date_from: Day = None,
        date_to: Day = None,
        dimensions: Dimensions = None,
        confirm: Annotated[bool, Field(description="False: estimate only. True: run it.")] = False,
        force: Annotated[bool, Field(description="Re-analyse even cached calls.")] = False,
    ) -> batches.BatchAnswer:
        """Analyse many calls: first the estimate (calls, tokens, dollars, cache hits); with confirm=true it
        runs through the engine, reporting progress, and returns a handle for get_batch_progress."""
        principal = current_principal()
        where = batches.BatchFilter(rep=rep, team=team, date_from=date_from, date_to=date_to)

        def progress(done: int, total: int) -> None:
            anyio.from_thread.run(partial(context.report_progress, done, total, f"{done}/{total} analyses"))

        run = partial(
            batches.batch_analyze_calls,
            ctx,
            principal,
            call_ids=call_ids,
            where=where,
            dimensions=dimensions,
            max_cost_usd=max_cost_usd,
            confirm=confirm,
            force=force,
            progress=progress,
        )
        return await anyio.to_thread.run_sync(lambda: serve(run))

    @mcp.tool(annotations=READ)
    def get_batch_progress(
        handle: Annotated[str, Field(min_length=1, max_length=64, description="From batch_analyze_calls.")],
    ) -> batches.BatchProgress:
        """How far a confirmed batch_analyze_calls run has got, and what it has cost."""
        return serve(lambda: batches.batch_progress(ctx, current_principal(), handle))

    @mcp.tool(annotations=READ)
    def export_coaching_report(
        subject: Annotated[Literal["rep", "team"], Field(description="A rep's review, or a manager's team's.")] = "rep",
        who: Annotated[
            str | None, Field(max_length=200, description="The rep (or, for a team, the manager); omit for yourself.")
        ] = None,
        period: Annotated[date | None, Field(description="Any day of the week to report; omit for the newest.")] = None,
        format: Annotated[ReportFormat, Field(description="md (Markdown) or html.")] = ReportFormat.MARKDOWN,
    ) -> reports.ExportedReport:
        """A weekly coaching review as a Markdown or HTML document: a rep's, or a manager's team's."""
        return serve(lambda: reports.export_coaching_report(ctx, current_principal(), subject, who, period, format))

    @mcp.resource("coaching://rubrics/{dimension}", mime_type="application/json")
    def rubric(dimension: str) -> str:
        """The current rubric of a dimension: criteria, weights, score anchors, drills."""
        return knowledge.rubric_text(dimension)

    @mcp.resource("coaching://kb/{doc}", mime_type="text/markdown")
    def kb_document(doc: str) -> str:
        """The current version of a product knowledge-base document."""
        return knowledge.kb_text(ctx, doc)

    @mcp.prompt
    def one_on_one(rep: Annotated[str, Field(description="The rep's email, Gong user id or name.")]) -> str:
        """Prepare a 1:1 coaching conversation with a rep from their plan and benchmarks."""
        return one_on_one_prompt(ctx, current_principal(), rep)

    return mcp
