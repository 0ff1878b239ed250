"""The 1:1 coaching prompt: a rep's plan and benchmarks filled into prompts/one_on_one.md."""

from __future__ import annotations

from importlib import resources

from mcp_app.services.context import AppContext
from mcp_app.services.insights import get_rep_insights
from mcp_app.services.plan import TARGET_WEEKS, get_coaching_plan
from mcp_app.services.principal import Principal


def one_on_one_prompt(ctx: AppContext, principal: Principal, rep: str) -> str:
    plan = get_coaching_plan(ctx, principal, rep)
    insights = get_rep_insights(ctx, principal, rep, TARGET_WEEKS)
    benchmarks = "\n".join(
        f"- {b.dimension}: {b.mean_score:.2f} over {b.call_count} calls; team mean {b.team_mean_score:.2f} "
        f"(percentile {b.team_percentile:.2f}), role mean {b.role_mean_score:.2f}"
        for b in insights.benchmarks
    )
    focus = "\n".join(
        f"{a.priority}. {a.dimension} / {a.criterion_name or a.criterion_id}: {a.why}.\n"
        f"   Quote: {a.evidence[0].quote if a.evidence else '(none)'}"
        f"{f' ({a.evidence[0].timestamp}, {a.evidence[0].call_url})' if a.evidence else ''}\n"
        f"   Drill: {a.drills[0] if a.drills else '(none)'}\n"
        f"   Target: {a.target.current:.2f} -> {a.target.target:.1f} within {a.target.weeks} weeks, "
        f"over at least {a.target.min_calls} calls"
        for a in plan.focus_areas
    )
    habits = "\n".join(
        f"- {h.habit}: average {h.rep_average}, guidance {h.guidance}, "
        f"inside guidance on {h.share_of_calls_in_guidance:.0%} of calls"
        for h in plan.habits_to_fix
        if h.share_of_calls_in_guidance is not None
    )
    template = (resources.files("mcp_app") / "prompts" / "one_on_one.md").read_text(encoding="utf-8")
    return template.format(
        rep_name=plan.rep.name or plan.rep.email,
        team=plan.rep.team or "no team",
        strongest=insights.strongest_dimension or "not enough data",
        weeks=TARGET_WEEKS,
        benchmarks=benchmarks or "(no scored calls in the window)",
        focus=focus or "(no focus areas yet)",
        habits=habits or "(none)",
    )
