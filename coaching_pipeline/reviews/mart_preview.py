"""A small pivot of marts.team_weekly_scores: each team's weekly discovery mean, the demo's closing table."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

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
    lines = ["Discovery score by team and week (marts.team_weekly_scores, 1-5):", header, "-" * len(header)]
    for week in sorted(by_week)[-weeks:]:
        cells = "".join(f"{by_week[week].get(team, float('nan')):>14.2f}" for team in teams)
        lines.append(f"{week.isoformat():<12}{cells}")
    return lines
