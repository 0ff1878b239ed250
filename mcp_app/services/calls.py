"""analyze_call and compare_calls: a call's scores as the marts hold them, or analysed now by the engine."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, Field

from coaching_pipeline.knowledge.models import Dimension
from mcp_app.services import queries
from mcp_app.services.answers import CallRef, CriterionResult, DimensionResult, dimension_result
from mcp_app.services.context import AppContext
from mcp_app.services.errors import InvalidRequest
from mcp_app.services.people import scope, visible_calls
from mcp_app.services.principal import Principal


class AnalysisCost(BaseModel):
    """What analysing now cost, from the engine's run report (cache hits cost nothing)."""

    run_id: str | None
    cache_hits: int
    api_requests: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    failures: int
    deferred: int


class CallAnalysis(BaseModel):
    call: CallRef
    dimensions: list[DimensionResult]
    analysed_now: list[str] = Field(description="Dimensions the engine analysed (or served from its cache) now.")
    cost: AnalysisCost | None = None

    def row_count(self) -> int:
        return len(self.dimensions)


def call_ref(call: dict) -> CallRef:
    return CallRef(
        call_id=call["call_id"],
        title=call["title"],
        call_date=call["call_date"],
        rep_user_id=call["rep_user_id"],
        rep_name=call["rep_name"] or None,
        call_url=call["url"],
    )


def stored_results(ctx: AppContext, principal: Principal, call_ids: Sequence[str]) -> dict[str, list[DimensionResult]]:
    """Each call's scored dimensions from marts.call_scores and marts.call_criterion_scores."""
    params = scope(principal, call_ids=list(call_ids))
    with ctx.read() as conn:
        rows = conn.execute(queries.CALL_SCORES, params).fetchall()
        criteria: dict[tuple[str, str], list[CriterionResult]] = defaultdict(list)
        for c in conn.execute(queries.CALL_CRITERIA, params):
            criteria[(c["call_id"], c["dimension"])].append(
                CriterionResult(
                    criterion_id=c["criterion_id"],
                    name=c["criterion_name"],
                    score=c["criterion_score"],
                    rationale=c["rationale"],
                )
            )
    results: dict[str, list[DimensionResult]] = defaultdict(list)
    for row in rows:
        results[row["call_id"]].append(dimension_result(row, criteria[(row["call_id"], row["dimension"])]))
    return results


def analyze_call(
    ctx: AppContext, principal: Principal, call_id: str, dimensions: Sequence[Dimension] | None, force: bool
) -> CallAnalysis:
    """Stored scores first; missing dimensions (or all asked, with `force`) go through the engine."""
    wanted = list(dict.fromkeys(dimensions or list(Dimension)))
    with ctx.read() as conn:
        call = visible_calls(conn, principal, [call_id])[call_id]
    stored = {} if force else {r.dimension: r for r in stored_results(ctx, principal, [call_id]).get(call_id, [])}
    to_run = [d for d in wanted if d.value not in stored]
    cost = None
    if to_run:
        if call["transcript_status"] != "ready":
            raise InvalidRequest(
                f"call {call_id} has no usable transcript yet ({call['transcript_status']}); try later"
            )
        engine = ctx.engine()
        report = engine.analyze_calls([call_id], to_run, refresh=force)
        if report.calls_skipped:
            raise InvalidRequest(
                f"call {call_id} is not analysed: it is an internal call or its scope is not in "
                "COACHING_ANALYZE_SCOPES (an operator setting; internal calls are skipped by default)"
            )
        cost = AnalysisCost(
            run_id=report.run_id,
            cache_hits=report.cache_hits,
            api_requests=report.api_requests,
            input_tokens=report.input_tokens,
            output_tokens=report.output_tokens,
            cost_usd=report.cost_usd,
            failures=report.failures,
            deferred=report.deferred,
        )
        rubrics = engine.rubrics
        params = scope(
            principal,
            call_id=call_id,
            dimensions=[d.value for d in to_run],
            versions=[rubrics[d].version for d in to_run],
        )
        with ctx.read() as conn:
            for row in conn.execute(queries.FRESH_ANALYSES, params):
                names = {c.id: c.name for c in rubrics[Dimension(row["dimension"])].criteria}
                criteria = [
                    CriterionResult(
                        criterion_id=c["criterion_id"],
                        name=names.get(c["criterion_id"]),
                        score=c["score"],
                        rationale=c.get("rationale"),
                    )
                    for c in row["criterion_scores"]
                ]
                stored[row["dimension"]] = dimension_result(row, criteria)
    return CallAnalysis(
        call=call_ref(call),
        dimensions=[stored[d.value] for d in wanted if d.value in stored],
        analysed_now=[d.value for d in to_run],
        cost=cost,
    )
