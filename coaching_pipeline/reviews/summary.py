"""The short text report `make demo` ends with: what was ingested, analysed, spent, and a mart preview."""

from __future__ import annotations

from coaching_pipeline.reviews.mart_preview import team_discovery_table
from coaching_pipeline.warehouse.db import connect

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
