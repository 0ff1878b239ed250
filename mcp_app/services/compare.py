"""compare_calls: two to five calls side by side per dimension and criterion, and where they differ most."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from mcp_app.services.answers import CallRef, CriterionResult, DimensionResult, EvidenceQuote
from mcp_app.services.calls import call_ref, stored_results
from mcp_app.services.context import AppContext
from mcp_app.services.errors import InvalidRequest, NotFound
from mcp_app.services.people import visible_calls
from mcp_app.services.principal import Principal

NOTABLE_GAP = 2  # criterion points between the best and the worst call worth calling out


class CallScore(BaseModel):
    call_id: str
    score: float | None = Field(description="None when the call has no score for it.")


class CriterionComparison(BaseModel):
    criterion_id: str
    name: str | None
    scores: list[CallScore]
    gap: int = Field(description="Best minus worst score among the calls scored on it.")
    best_call_id: str | None
    worst_call_id: str | None
    rationale_best: str | None = None
    rationale_worst: str | None = None
    evidence: list[EvidenceQuote] = Field(default_factory=list, description="Quotes for it from the best/worst.")


class DimensionComparison(BaseModel):
    dimension: str
    scores: list[CallScore]
    criteria: list[CriterionComparison]


class CallComparison(BaseModel):
    calls: list[CallRef]
    dimensions: list[DimensionComparison]
    differences: list[str] = Field(description="What differed most, one sentence each, largest gaps first.")

    def row_count(self) -> int:
        return len(self.calls)


def compare_calls(ctx: AppContext, principal: Principal, call_ids: Sequence[str]) -> CallComparison:
    ids = [c.strip() for c in call_ids]
    if len(set(ids)) != len(ids):
        raise InvalidRequest("the same call id appears twice; give 2 to 5 different calls")
    with ctx.read() as conn:
        calls = visible_calls(conn, principal, ids)
    results = stored_results(ctx, principal, ids)
    unscored = [c for c in ids if c not in results]
    if unscored:
        raise NotFound(f"call {', '.join(unscored)} has no scores yet; run analyze_call on it first")
    by_dimension: dict[str, dict[str, DimensionResult]] = {}
    for call_id in ids:
        for result in results[call_id]:
            by_dimension.setdefault(result.dimension, {})[call_id] = result
    dimensions, differences = [], []
    for dimension, per_call in sorted(by_dimension.items()):
        criteria = _criteria(ids, per_call)
        dimensions.append(
            DimensionComparison(
                dimension=dimension,
                scores=[CallScore(call_id=c, score=_overall(per_call.get(c))) for c in ids],
                criteria=criteria,
            )
        )
        differences += [
            (
                c.gap,
                f"{dimension} / {c.name or c.criterion_id}: {c.best_call_id} scored {c.gap} points above "
                f"{c.worst_call_id}",
            )
            for c in criteria
            if c.gap >= NOTABLE_GAP
        ]
    differences.sort(key=lambda item: -item[0])
    return CallComparison(
        calls=[call_ref(calls[c]) for c in ids],
        dimensions=dimensions,
        differences=[text for _, text in differences] or ["no criterion differs by 2 points or more"],
    )


def _overall(result: DimensionResult | None) -> float | None:
    return None if result is None else result.overall_score


def _criteria(ids: list[str], per_call: dict[str, DimensionResult]) -> list[CriterionComparison]:
    table: dict[str, dict[str, CriterionResult]] = {}
    for call_id, result in per_call.items():
        for criterion in result.criteria:
            table.setdefault(criterion.criterion_id, {})[call_id] = criterion
    compared = []
    for criterion_id, scored in sorted(table.items()):
        ranked = sorted(scored.items(), key=lambda item: (-item[1].score, ids.index(item[0])))
        (best_id, best), (worst_id, worst) = ranked[0], ranked[-1]
        quotes = [
            q
            for call_id in dict.fromkeys((best_id, worst_id))
            for q in per_call[call_id].evidence
            if q.criterion_id == criterion_id
        ][:4]
        compared.append(
            CriterionComparison(
                criterion_id=criterion_id,
                name=best.name,
                scores=[CallScore(call_id=c, score=scored[c].score if c in scored else None) for c in ids],
                gap=best.score - worst.score,
                best_call_id=best_id,
                worst_call_id=worst_id,
                rationale_best=best.rationale,
                rationale_worst=worst.rationale if worst_id != best_id else None,
                evidence=quotes,
            )
        )
    return compared
