"""The short text report `make demo` ends with and `coaching report` prints: what was ingested, analysed and
spent, recorded ingestion issues, and each team's weekly discovery mean from marts.team_weekly_scores."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coaching_pipeline.warehouse.db import connect

_TEAM_DISCOVERY = """
select team, week_start, round(sum(mean_score * call_count) / sum(call_count), 2) as mean_score,
       sum(call_count) as calls
from marts.team_weekly_scores
where dimension = 'discovery'
group by team, week_start
order by week_start, team
"""


def team_discovery_table(conn: Any, weeks: int = 6) -> list[str]:
    """Lines of a text table: the last `weeks` weeks x team, mean discovery score (all roles, call-weighted)."""
    exists = conn.execute("select to_regclass('marts.team_weekly_scores') is not null as ok").fetchone()
    rows = conn.execute(_TEAM_DISCOVERY).fetchall() if exists["ok"] else []
    if not rows:
        return ["(marts.team_weekly_scores is empty: no analysed calls yet)"]
    by_week: dict[Any, dict[str, float]] = defaultdict(dict)
    for row in rows:
        by_week[row["week_start"]][row["team"]] = float(row["mean_score"])
    teams = sorted({row["team"] for row in rows})
    header = f"{'week of':<12}" + "".join(f"{team:>14}" for team in teams)
    shown = sorted(by_week)[-weeks:]
    title = f"Discovery score by team, the last {len(shown)} of {len(by_week)} weeks (marts.team_weekly_scores, 1-5):"
    lines = [title, header, "-" * len(header)]
    for week in shown:
        cells = "".join(f"{by_week[week].get(team, float('nan')):>14.2f}" for team in teams)
        lines.append(f"{week.isoformat():<12}{cells}")
    return lines


_COUNTS = """
select
    (select count(*) from raw.calls) as calls,
    (select count(*) from raw.transcripts) as transcripts,
    (select count(*) from raw.transcript_chunks) as chunks,
    (select count(*) from raw.ingestion_issues) as issues,
    (select count(*) from coaching.call_analyses) as analyses,
    (select count(distinct model) from coaching.call_analyses) as models,
    (select coalesce(sum(cost_usd), 0) from coaching.llm_requests) as dollars
"""

_ISSUES = "select reason, count(*) as calls from raw.ingestion_issues group by reason order by reason"


def demo_summary(url: str) -> list[str]:
    with connect(url) as conn:
        counts = conn.execute(_COUNTS).fetchone()
        issues = conn.execute(_ISSUES).fetchall()
        preview = team_discovery_table(conn)
    lines = [
        f"Ingested {counts['calls']} calls: {counts['transcripts']} transcripts, {counts['chunks']} chunks.",
        f"Analyses stored: {counts['analyses']}; LLM spend recorded: ${float(counts['dollars']):.2f}.",
    ]
    if issues:
        lines.append("Recorded ingestion issues: " + ", ".join(f"{r['reason']} ({r['calls']})" for r in issues))
    return lines + preview
