"""Every tool through the in-memory FastMCP client on the sample warehouse: answers equal the marts' rows."""

from __future__ import annotations

import re

from mcp_app.services.principal import Role
from tests.mcp_app.conftest import MANAGER, OTHER_TEAM_REP, REP, VP, a_call_of, user_id


def test_get_rep_insights_equals_the_marts(call, wh) -> None:  # type: ignore[no-untyped-def]
    answer = call(MANAGER, "get_rep_insights", {"rep": "Hannah"})
    rep_id = user_id(wh, REP)
    assert answer["rep"]["user_id"] == rep_id
    benchmarks = wh.execute(
        "select dimension, mean_score, team_mean_score, team_percentile, call_count from marts.rep_benchmarks "
        "where rep_user_id = %s order by dimension",
        (rep_id,),
    ).fetchall()
    assert [(b["dimension"], b["mean_score"], b["team_percentile"], b["call_count"]) for b in answer["benchmarks"]] == [
        (r["dimension"], float(r["mean_score"]), float(r["team_percentile"]), r["call_count"]) for r in benchmarks
    ]
    trends = wh.execute(
        "select dimension, week_start::text, mean_score from marts.rep_weekly_trends where rep_user_id = %s "
        "order by dimension, week_start",
        (rep_id,),
    ).fetchall()
    got = [(t["dimension"], w["week_start"], w["mean_score"]) for t in answer["trends"] for w in t["weeks"]]
    assert got == [(r["dimension"], r["week_start"], float(r["mean_score"])) for r in trends]
    means = {r["dimension"]: float(r["mean_score"]) for r in benchmarks}
    assert answer["strongest_dimension"] == max(means, key=means.get)
    assert answer["weakest_dimension"] == min(means, key=means.get)
    assert {h["habit"] for h in answer["interaction"]} >= {"talk ratio", "interactivity"}


def test_get_coaching_plan_equals_the_focus_mart(call, wh) -> None:  # type: ignore[no-untyped-def]
    answer = call(REP, "get_coaching_plan")
    rows = wh.execute(
        "select focus_rank, criterion_id, mean_criterion_score, drills, quote_count from marts.rep_coaching_focus "
        "where rep_user_id = %s order by focus_rank",
        (user_id(wh, REP),),
    ).fetchall()
    assert [(a["priority"], a["criterion_id"], a["target"]["current"]) for a in answer["focus_areas"]] == [
        (r["focus_rank"], r["criterion_id"], round(float(r["mean_criterion_score"]), 2)) for r in rows
    ]
    for area, row in zip(answer["focus_areas"], rows, strict=True):
        assert area["drills"] == row["drills"] and len(area["evidence"]) == row["quote_count"]
        assert area["target"]["target"] > area["target"]["current"] or area["target"]["target"] == 5.0


def test_search_calls_finds_the_words_with_speaker_and_timestamp(call, wh) -> None:  # type: ignore[no-untyped-def]
    answer = call(MANAGER, "search_calls", {"query": "price", "limit": 50})
    assert answer["hits"]
    expected = wh.execute(
        "select count(*) as n from raw.transcripts t join raw.calls c using (call_id) join raw.users u "
        "on u.user_id = c.primary_user_id where t.search_vector @@ websearch_to_tsquery('english', 'price') "
        "and (u.manager_id = %s or u.user_id = %s)",
        (user_id(wh, MANAGER), user_id(wh, MANAGER)),
    ).fetchone()["n"]
    assert len(answer["hits"]) == min(expected, 50)
    for hit in answer["hits"]:
        assert hit["team"] == "Enterprise"
        assert hit["snippets"] and all("**pric" in s["text"].lower() for s in hit["snippets"])
        assert all(re.fullmatch(r"(\d+:)?\d\d:\d\d", s["timestamp"]) and s["speaker"] for s in hit["snippets"])


def test_search_calls_filters_by_rep_date_and_score(call, wh) -> None:  # type: ignore[no-untyped-def]
    args = {"rep": REP, "date_from": "2026-08-05", "date_to": "2026-08-14", "dimension": "discovery", "min_score": 2}
    answer = call(MANAGER, "search_calls", args)
    rows = wh.execute(
        "select call_id from marts.call_scores where rep_user_id = %s and dimension = 'discovery' and "
        "overall_score >= 2 and call_date between '2026-08-05' and '2026-08-14' order by call_id",
        (user_id(wh, REP),),
    ).fetchall()
    assert sorted(h["call_id"] for h in answer["hits"]) == [r["call_id"] for r in rows]


def test_analyze_call_returns_the_stored_scores(call, wh) -> None:  # type: ignore[no-untyped-def]
    call_id = a_call_of(wh, REP)
    answer = call(REP, "analyze_call", {"call_id": call_id})
    rows = wh.execute(
        "select dimension, overall_score, rubric_version from marts.call_scores where call_id = %s order by dimension",
        (call_id,),
    ).fetchall()
    got = sorted((d["dimension"], d["overall_score"], d["rubric_version"]) for d in answer["dimensions"])
    assert got == [(r["dimension"], float(r["overall_score"]), r["rubric_version"]) for r in rows]
    assert answer["analysed_now"] == [] and answer["cost"] is None
    criteria = wh.execute(
        "select count(*) as n from marts.call_criterion_scores where call_id = %s", (call_id,)
    ).fetchone()["n"]
    assert sum(len(d["criteria"]) for d in answer["dimensions"]) == criteria
    quotes = [q for d in answer["dimensions"] for q in d["evidence"]]
    assert quotes and all(q["call_url"] and q["timestamp"] and q["verified"] for q in quotes)


def test_analyze_call_force_runs_the_engine_and_says_what_it_cost(call, wh) -> None:  # type: ignore[no-untyped-def]
    call_id = a_call_of(wh, REP, 1)
    before = wh.execute("select count(*) as n from coaching.llm_requests where call_id = %s", (call_id,)).fetchone()
    answer = call(REP, "analyze_call", {"call_id": call_id, "dimensions": ["engagement"], "force": True})
    assert answer["analysed_now"] == ["engagement"] and answer["dimensions"][0]["source"] == "analysis"
    assert answer["cost"]["cost_usd"] == 0.0 and answer["cost"]["cache_hits"] == 0
    after = wh.execute("select count(*) as n from coaching.llm_requests where call_id = %s", (call_id,)).fetchone()
    assert after["n"] == before["n"] + 1  # one offline ledger row: the engine ran, not a copy of it


def test_compare_calls_side_by_side(call, wh) -> None:  # type: ignore[no-untyped-def]
    ids = [a_call_of(wh, REP), a_call_of(wh, REP, 2)]
    answer = call(MANAGER, "compare_calls", {"call_ids": ids})
    assert [c["call_id"] for c in answer["calls"]] == ids and len(answer["dimensions"]) == 4
    for dimension in answer["dimensions"]:
        rows = wh.execute(
            "select call_id, overall_score from marts.call_scores where dimension = %s and call_id = any(%s)",
            (dimension["dimension"], ids),
        ).fetchall()
        stored = {r["call_id"]: float(r["overall_score"]) for r in rows}
        assert {s["call_id"]: s["score"] for s in dimension["scores"]} == stored
    assert answer["differences"]


def test_analyze_product_knowledge_names_documents(call, wh) -> None:  # type: ignore[no-untyped-def]
    answer = call(REP, "analyze_product_knowledge", {"calls": 5})
    assert answer["rep"]["email"] == REP and 1 <= len(answer["call_ids"]) <= 5
    assert answer["used"] and {f["document_id"] for f in answer["used"]} <= {
        d["document_id"] for d in answer["documents"]
    }
    scores = wh.execute(
        "select avg(overall_score) as mean from marts.call_scores where dimension = 'product_knowledge' "
        "and call_id = any(%s)",
        (answer["call_ids"],),
    ).fetchone()
    assert answer["mean_product_knowledge_score"] == round(float(scores["mean"]), 4)


def test_export_coaching_report_renders_rep_and_team(call) -> None:  # type: ignore[no-untyped-def]
    rep = call(MANAGER, "export_coaching_report", {"who": REP})
    assert rep["subject"] == "Hannah Brooks" and rep["body"].startswith("#")
    team = call(MANAGER, "export_coaching_report", {"subject": "team", "format": "html"})
    assert team["subject_kind"] == "team" and "<html" in team["body"].lower()


def test_admin_sees_every_team(call) -> None:  # type: ignore[no-untyped-def]
    answer = call(VP, "search_calls", {"limit": 50}, role=Role.ADMIN)
    assert {h["team"] for h in answer["hits"]} >= {"Enterprise", "Mid-Market"}
    assert call(VP, "get_rep_insights", {"rep": OTHER_TEAM_REP}, role=Role.ADMIN)["rep"]["email"] == OTHER_TEAM_REP
