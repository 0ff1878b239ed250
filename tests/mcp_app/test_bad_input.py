"""Bad input gets a clear ToolError, writes its audit row and nothing else."""

from __future__ import annotations

import pytest
from fastmcp.exceptions import ToolError

from tests.mcp_app.conftest import MANAGER, REP, a_call_of

WRITTEN = (
    "coaching.call_analyses",
    "coaching.llm_requests",
    "coaching.cache_events",
    "coaching.kb_documents",
    "mcp.analysis_jobs",
    "coaching.analysis_failures",
)
INJECTION = "x'); drop table raw.calls; --"

CASES = [
    ("get_rep_insights", {"rep": "nobody-at-all@example.com"}, "no rep matching"),
    ("get_rep_insights", {"rep": "an"}, "matches"),  # ambiguous: lists the candidates
    ("get_rep_insights", {"rep": INJECTION}, "no rep matching"),
    ("get_rep_insights", {"weeks": 10**9}, "less than or equal"),
    ("analyze_call", {"call_id": "9999999999999999999"}, "no call 9999999999999999999"),
    ("analyze_call", {"call_id": INJECTION}, "should match pattern"),
    ("search_calls", {"limit": 10**9}, "less than or equal to 50"),
    ("search_calls", {"date_from": "2026-08-20", "date_to": "2026-08-01"}, "before date_from"),
    ("search_calls", {"date_from": "2026-13-45"}, "date"),
    ("search_calls", {"query": INJECTION, "team": "no such team"}, "no team"),
    ("search_calls", {"min_score": 4, "max_score": 2}, "below min_score"),
    ("compare_calls", {"call_ids": []}, "at least 2"),
    ("compare_calls", {"call_ids": [str(n) for n in range(100)]}, "at most 5"),
    ("compare_calls", {"call_ids": ["1", "1"]}, "appears twice"),
    ("batch_analyze_calls", {"max_cost_usd": 1, "call_ids": []}, "at least 1"),
    ("batch_analyze_calls", {"max_cost_usd": 1}, "give call_ids or a filter"),
    ("batch_analyze_calls", {"max_cost_usd": 1, "date_from": "2026-08-20", "date_to": "2026-08-01"}, "swap"),
    ("get_batch_progress", {"handle": "nope"}, "no batch"),
    ("update_knowledge_base", {"doc": "horizon_features", "content": "no front matter"}, "only an admin"),
    ("get_coaching_plan", {"rep": MANAGER.replace("daniel", "nobody")}, "no rep matching"),
]


REP_CASES = [("export_coaching_report", {"subject": "team"}, "for managers and admins")]


def _counts(wh) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {t: wh.execute(f"select count(*) as n from {t}").fetchone()["n"] for t in WRITTEN}


@pytest.mark.parametrize(
    ("who", "tool", "arguments", "message"),
    [(MANAGER, *c) for c in CASES] + [(REP, *c) for c in REP_CASES],
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES + REP_CASES)],
)
def test_bad_input_is_a_clear_tool_error_and_only_an_audit_row(call, wh, who, tool, arguments, message) -> None:  # type: ignore[no-untyped-def]
    before, audits = _counts(wh), wh.execute("select max(audit_id) as id from mcp.audit_log").fetchone()["id"] or 0
    with pytest.raises(ToolError, match=message):
        call(who, tool, arguments)
    assert _counts(wh) == before
    rows = wh.execute(
        "select tool, outcome, rows_returned from mcp.audit_log where audit_id > %s", (audits,)
    ).fetchall()
    assert [(r["tool"], r["rows_returned"]) for r in rows] == [(tool, 0)]
    assert rows[0]["outcome"] in ("invalid", "denied")


def test_rep_cannot_read_a_teammates_call(call, wh) -> None:  # type: ignore[no-untyped-def]
    other = a_call_of(wh, "marcus.bell@prefect.io")
    with pytest.raises(ToolError, match="among the calls you can see"):
        call(REP, "analyze_call", {"call_id": other})
    assert call(MANAGER, "analyze_call", {"call_id": other})["call"]["call_id"] == other


def test_every_call_writes_one_audit_row_with_redacted_arguments(call, wh) -> None:  # type: ignore[no-untyped-def]
    start = wh.execute("select coalesce(max(audit_id), 0) as id from mcp.audit_log").fetchone()["id"]
    call(MANAGER, "search_calls", {"query": "call me on +1 415 555 0100", "rep": REP})
    rows = wh.execute("select * from mcp.audit_log where audit_id > %s", (start,)).fetchall()
    assert len(rows) == 1 and rows[0]["outcome"] == "ok" and rows[0]["principal_email"] == MANAGER
    assert rows[0]["arguments"] == {"query": "call me on [phone]", "rep": "h***@prefect.io"}
    assert rows[0]["duration_ms"] >= 0 and rows[0]["auth_method"] == "stdio"


def test_analyze_call_says_why_an_internal_call_is_not_analysed(call, wh) -> None:  # type: ignore[no-untyped-def]
    internal = a_call_of(wh, REP, offset=1)
    wh.execute("update raw.calls set scope = 'Internal' where call_id = %s", (internal,))
    try:
        with pytest.raises(ToolError, match="internal call .* COACHING_ANALYZE_SCOPES"):
            call(REP, "analyze_call", {"call_id": internal, "dimensions": ["engagement"], "force": True})
        skip = wh.execute("select reason from coaching.analysis_skips where call_id = %s", (internal,)).fetchone()
        assert skip["reason"] == "internal_scope"
    finally:
        wh.execute("update raw.calls set scope = 'External' where call_id = %s", (internal,))
        wh.execute("delete from coaching.analysis_skips where call_id = %s", (internal,))
