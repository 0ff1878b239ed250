"""batch_analyze_calls: estimate first; confirmed, run through the engine in steps with progress and a handle."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime

from psycopg.types.json import Jsonb
from pydantic import BaseModel, Field

from coaching_pipeline.analysis.engine.estimate import RunEstimate
from coaching_pipeline.analysis.engine.run_report import AnalysisRunReport
from coaching_pipeline.analysis.engine.work import load_calls
from coaching_pipeline.knowledge.models import Dimension
from mcp_app.services import queries
from mcp_app.services.context import AppContext
from mcp_app.services.errors import InvalidRequest, NotFound
from mcp_app.services.people import reps_of_team, resolve_rep, scope, visible_calls
from mcp_app.services.principal import Principal

MAX_BATCH_CALLS = 500
STEP_CALLS = 10  # calls per engine run between progress reports

Progress = Callable[[int, int], None]


class BatchFilter(BaseModel):
    rep: str | None = None
    team: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class BatchAnswer(BaseModel):
    status: str = Field(description="'estimate' (nothing ran: call again with confirm=true), 'done' or 'failed'.")
    handle: str | None = Field(description="For get_batch_progress; None for an estimate.")
    call_ids: list[str]
    dimensions: list[str]
    estimate: RunEstimate
    max_cost_usd: float
    report: AnalysisRunReport | None = None

    def row_count(self) -> int:
        return len(self.call_ids)


class BatchProgress(BaseModel):
    handle: str
    status: str
    total_units: int
    done_units: int
    estimate: RunEstimate
    report: AnalysisRunReport | None
    error: str | None
    started_at: datetime
    finished_at: datetime | None

    def row_count(self) -> int:
        return 1


def _call_ids(
    ctx: AppContext, principal: Principal, call_ids: Sequence[str] | None, where: BatchFilter | None
) -> list[str]:
    if call_ids:
        ids = list(dict.fromkeys(c.strip() for c in call_ids))
        with ctx.read() as conn:
            visible_calls(conn, principal, ids)
        return ids
    if where is None or not any((where.rep, where.team, where.date_from, where.date_to)):
        raise InvalidRequest("give call_ids or a filter (rep, team, date_from, date_to)")
    if where.date_from and where.date_to and where.date_to < where.date_from:
        raise InvalidRequest(f"date_to {where.date_to} is before date_from {where.date_from}; swap them")
    with ctx.read() as conn:
        rep_ids = [resolve_rep(conn, principal, where.rep).user_id] if where.rep else None
        if where.team:
            team = reps_of_team(conn, principal, where.team)
            rep_ids = [r for r in rep_ids if r in team] if rep_ids is not None else team
        params = scope(
            principal, rep_ids=rep_ids, date_from=where.date_from, date_to=where.date_to, limit=MAX_BATCH_CALLS + 1
        )
        ids = [r["call_id"] for r in conn.execute(queries.READY_CALLS_MATCHING, params)]
    if len(ids) > MAX_BATCH_CALLS:
        raise InvalidRequest(f"the filter matches more than {MAX_BATCH_CALLS} calls; narrow the dates or the reps")
    if not ids:
        raise NotFound("no call with a transcript matches the filter among the calls you can see")
    return ids


def batch_analyze_calls(
    ctx: AppContext,
    principal: Principal,
    *,
    call_ids: Sequence[str] | None,
    where: BatchFilter | None,
    dimensions: Sequence[Dimension] | None,
    max_cost_usd: float,
    confirm: bool,
    force: bool,
    progress: Progress | None = None,
) -> BatchAnswer:
    ids = _call_ids(ctx, principal, call_ids, where)
    dims = list(dict.fromkeys(dimensions or list(Dimension)))
    engine = ctx.engine(spend_cap_usd=max_cost_usd)
    with ctx.read() as conn:
        works = load_calls(conn, call_ids=ids, redaction=engine.options.redaction)
    estimate = engine.estimate(works, dims, refresh=force)
    answer = BatchAnswer(
        status="estimate",
        handle=None,
        call_ids=[w.call.call_id for w in works],
        dimensions=[d.value for d in dims],
        estimate=estimate,
        max_cost_usd=max_cost_usd,
    )
    if estimate.cost_usd > max_cost_usd:
        raise InvalidRequest(
            f"the estimate is ${estimate.cost_usd:.2f} for {estimate.units_to_analyse} analyses, above max_cost_usd "
            f"${max_cost_usd:.2f}; raise max_cost_usd or choose fewer calls"
        )
    if not confirm:
        return answer
    handle = uuid.uuid4().hex
    total = len(works) * len(dims)
    with ctx.read() as conn:
        conn.execute(
            queries.INSERT_JOB,
            {
                "job_id": handle,
                "user_id": principal.user_id,
                "email": principal.email,
                "call_ids": Jsonb(ids),
                "dimensions": Jsonb(answer.dimensions),
                "total_units": total,
                "estimate": Jsonb(estimate.model_dump()),
            },
        )
    report, done = AnalysisRunReport(run_id=handle), 0
    try:
        for start in range(0, len(works), STEP_CALLS):
            step = works[start : start + STEP_CALLS]
            report += engine.run(step, dims, run_id=handle, refresh=force)
            done += len(step) * len(dims)
            _update(ctx, handle, done, "running", report)
            if progress:
                progress(done, total)
    except Exception as exc:
        _update(ctx, handle, done, "failed", report, error=str(exc)[:500])
        raise
    _update(ctx, handle, done, "done", report)
    return answer.model_copy(update={"status": "done", "handle": handle, "report": report})


def _update(
    ctx: AppContext, handle: str, done: int, status: str, report: AnalysisRunReport, error: str | None = None
) -> None:
    with ctx.read() as conn:
        conn.execute(
            queries.UPDATE_JOB,
            {
                "job_id": handle,
                "done_units": done,
                "status": status,
                "report": Jsonb(report.model_dump()),
                "error": error,
            },
        )


def batch_progress(ctx: AppContext, principal: Principal, handle: str) -> BatchProgress:
    with ctx.read() as conn:
        row = conn.execute(
            queries.JOB, {"job_id": handle.strip(), "admin": principal.is_admin, "user_id": principal.user_id}
        ).fetchone()
    if row is None:
        raise NotFound(f"no batch {handle!r} among yours; batch_analyze_calls(confirm=true) returns the handle")
    return BatchProgress(
        handle=row["job_id"],
        status=row["status"],
        total_units=row["total_units"],
        done_units=row["done_units"],
        estimate=RunEstimate.model_validate(row["estimate"]),
        report=AnalysisRunReport.model_validate(row["report"]) if row["report"] else None,
        error=row["error"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )
