"""Rendered reviews state the marts' numbers, hold only what their reader may see, and name their sources."""

from __future__ import annotations

import re
from datetime import date

import psycopg
import pytest

from coaching_pipeline.reviews.errors import ReviewNotFound
from coaching_pipeline.reviews.formatting import change, score
from coaching_pipeline.reviews.render import (
    DISCLAIMER,
    ReportFormat,
    render_rep,
    render_rep_review,
    render_team_review,
)
from coaching_pipeline.reviews.rep_review import build_rep_review
from coaching_pipeline.reviews.team_review import build_team_review
from tests.reviews.conftest import EARLIER_WEEK, LATEST_WEEK

REP, MANAGER = "u-0-1", "u-mgr-0"


def _row_of(body: str, label: str) -> str:
    """The Markdown table row that starts with `label`."""
    return next(line for line in body.splitlines() if line.startswith(f"| {label} |"))


@pytest.mark.parametrize("week", [LATEST_WEEK, EARLIER_WEEK])
def test_render_rep_review_scores_equal_the_marts(reviews_url: str, marts: psycopg.Connection, week: date) -> None:
    trends = marts.execute(
        "select * from marts.rep_weekly_trends where rep_user_id = %s and week_start = %s", (REP, week)
    ).fetchall()
    body = render_rep_review(reviews_url, REP, week, ReportFormat.MARKDOWN).body
    assert trends
    for trend in trends:
        label = {"discovery": "Discovery", "product_knowledge": "Product knowledge"}.get(
            trend["dimension"], trend["dimension"].replace("_", " ").capitalize()
        )
        cells = [c.strip().strip("*") for c in _row_of(body, label).split("|")[2:-1]]
        assert cells[:5] == [
            str(trend["call_count"]),
            score(float(trend["mean_score"])),
            score(_float(trend["previous_week_mean_score"])),
            change(_float(trend["week_over_week_change"])),
            score(float(trend["rolling_4w_mean_score"])),
        ]
        team_mean = _team_mean(marts, trend["team"], week, trend["dimension"])
        assert abs(float(cells[5]) - team_mean) <= 0.005 + 1e-4


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _team_mean(marts: psycopg.Connection, team: str, week: date, dimension: str) -> float:
    rows = marts.execute(
        "select mean_score, call_count from marts.team_weekly_scores where team = %s and week_start = %s"
        " and dimension = %s",
        (team, week, dimension),
    ).fetchall()
    return float(sum(r["mean_score"] * r["call_count"] for r in rows) / sum(r["call_count"] for r in rows))


def test_render_rep_review_focus_equals_rep_coaching_focus(reviews_url: str, marts: psycopg.Connection) -> None:
    """For the marts' own window (the latest week), the review's focus areas are rep_coaching_focus's rows."""
    focus = marts.execute(
        "select * from marts.rep_coaching_focus where rep_user_id = %s and focus_rank <= 2 order by focus_rank",
        (REP,),
    ).fetchall()
    with psycopg.connect(reviews_url, row_factory=psycopg.rows.dict_row) as conn:
        review = build_rep_review(conn, REP, LATEST_WEEK)
    assert [(f.dimension, f.criterion_id) for f in review.focus] == [(r["dimension"], r["criterion_id"]) for r in focus]
    for finding, row in zip(review.focus, focus, strict=True):
        assert finding.mean_criterion_score == float(row["mean_criterion_score"])
        assert finding.scored_call_count == row["scored_call_count"]
        assert [q.quote for q in finding.quotes] == [q["quote"] for q in row["evidence_quotes"]]
        assert finding.drills == row["drills"]
    body = render_rep_review(reviews_url, REP, LATEST_WEEK, ReportFormat.HTML).body
    assert all(q.quote in body for f in review.focus for q in f.quotes)


def test_render_team_review_numbers_equal_the_marts(reviews_url: str, marts: psycopg.Connection) -> None:
    with psycopg.connect(reviews_url, row_factory=psycopg.rows.dict_row) as conn:
        review = build_team_review(conn, MANAGER, LATEST_WEEK)
    reps = {
        r["user_id"] for r in marts.execute("select user_id from marts.reps where manager_user_id = %s", (MANAGER,))
    }
    trends = marts.execute(
        "select rep_user_id, dimension, mean_score from marts.rep_weekly_trends"
        " where week_start = %s and rep_user_id = any(%s)",
        (LATEST_WEEK, list(reps)),
    ).fetchall()
    heat = {(r.rep.user_id, d): v for r in review.reps for d, v in r.scores.items()}
    assert heat == {(t["rep_user_id"], t["dimension"]): float(t["mean_score"]) for t in trends}
    calls = marts.execute(
        "select count(*) as n from marts.call_interaction_stats where week_start = %s and rep_user_id = any(%s)",
        (LATEST_WEEK, list(reps)),
    ).fetchone()
    assert review.coverage.recorded == calls["n"]
    cost = marts.execute(
        "select sum(cost_usd) as usd from marts.llm_daily_costs where activity_date between %s and %s",
        (LATEST_WEEK, date(2026, 9, 13)),
    ).fetchone()
    assert review.cost is not None and review.cost.cost_usd == pytest.approx(float(cost["usd"]))
    body = render_team_review(reviews_url, MANAGER, LATEST_WEEK, ReportFormat.MARKDOWN).body
    assert f"${float(cost['usd']):.2f}" in body
    assert all(score(v) in _row_of(body, r.rep.name) for r in review.reps for v in r.scores.values())


def test_render_rep_review_names_no_other_rep(reviews_url: str, marts: psycopg.Connection) -> None:
    """Every rep's review, in both formats, holds neither the name nor the email of anyone else (the charts
    hold no names: the trend chart's labels are dimensions and dates)."""
    people = marts.execute("select user_id, full_name, email from marts.reps").fetchall()
    reps = [
        r["rep_user_id"]
        for r in marts.execute(
            "select distinct rep_user_id from marts.call_scores where week_start = %s", (LATEST_WEEK,)
        )
    ]
    assert len(reps) >= 10
    for rep in reps:
        with psycopg.connect(reviews_url, row_factory=psycopg.rows.dict_row) as conn:
            review = build_rep_review(conn, rep, LATEST_WEEK)
        for fmt in ReportFormat:
            body = render_rep(review, fmt, images=False).body
            others = [p for p in people if p["user_id"] != rep]
            leaked = [p["full_name"] for p in others if p["full_name"] in body] + [
                p["email"] for p in others if p["email"] in body
            ]
            assert leaked == [], (rep, fmt)


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_render_every_report_says_ai_scores_are_coaching_aids(reviews_url: str, fmt: ReportFormat) -> None:
    for report in (
        render_rep_review(reviews_url, REP, LATEST_WEEK, fmt),
        render_team_review(reviews_url, MANAGER, LATEST_WEEK, fmt),
    ):
        text = re.sub(r"\s+", " ", report.body)
        assert DISCLAIMER in text.replace("&#39;", "'")
        assert "Discovery v2" in text and "Engagement v1" in text
        assert "claude-sonnet-5-5" in text and "offline-heuristic-v1" in text


def test_render_html_is_email_safe(reviews_url: str) -> None:
    body = render_team_review(reviews_url, MANAGER, LATEST_WEEK, ReportFormat.HTML).body
    assert "<style" not in body and "<script" not in body and "<link" not in body
    sources = re.findall(r'src="([^"]+)"', body)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert 'width="600"' in body
    assert max(int(w) for w in re.findall(r'width="(\d+)"', body)) <= 600


def test_render_markdown_embeds_its_chart(reviews_url: str) -> None:
    body = render_rep_review(reviews_url, REP, LATEST_WEEK, ReportFormat.MARKDOWN).body
    assert re.search(r"!\[[^\]]+\]\(data:image/png;base64,[A-Za-z0-9+/=]+\)", body)


def test_render_unknown_rep_raises_review_not_found(reviews_url: str) -> None:
    with pytest.raises(ReviewNotFound, match="no-such-rep"):
        render_rep_review(reviews_url, "no-such-rep", LATEST_WEEK, ReportFormat.HTML)


def test_render_team_review_of_a_non_manager_raises_review_not_found(reviews_url: str) -> None:
    with pytest.raises(ReviewNotFound, match="manages no reps"):
        render_team_review(reviews_url, REP, LATEST_WEEK, ReportFormat.HTML)


def test_render_week_without_data_raises_review_not_found(reviews_url: str) -> None:
    with pytest.raises(ReviewNotFound, match="2026-W01"):
        render_rep_review(reviews_url, REP, date(2026, 1, 1), ReportFormat.HTML)
    with pytest.raises(ReviewNotFound, match="2026-W01"):
        render_team_review(reviews_url, MANAGER, date(2026, 1, 1), ReportFormat.MARKDOWN)
