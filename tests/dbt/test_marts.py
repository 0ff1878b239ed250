"""The marts agree with pandas computed straight from the raw tables, and keep to their contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa

from tests.dbt import expected

# The marts publish scores to 2 decimals and ratios to 4 (macros/precision.sql): half a unit in the last place.
SCORE_TOLERANCE = 0.005 + 1e-9
RATIO_TOLERANCE = 0.00005 + 1e-9


@pytest.fixture(scope="module")
def scores(engine: sa.Engine) -> pd.DataFrame:
    return expected.current_call_scores(engine)


def _mart(engine: sa.Engine, name: str) -> pd.DataFrame:
    frame = pd.read_sql(f"select * from marts.{name}", engine)
    for column in ("week_start", "call_date"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def test_marts_land_in_layer_schemas_and_staging_stays_ephemeral(marts_db: psycopg.Connection) -> None:
    rows = marts_db.execute(
        "select table_schema, table_type, count(*) from information_schema.tables"
        " where table_schema in ('staging', 'intermediate', 'marts', 'analytics') group by 1, 2 order by 1, 2"
    ).fetchall()
    assert [(schema, kind) for schema, kind, _ in rows] == [("intermediate", "BASE TABLE"), ("marts", "BASE TABLE")]


def test_call_scores_keep_only_current_rubric_version(engine: sa.Engine, scores: pd.DataFrame) -> None:
    mart = _mart(engine, "call_scores")
    versions = mart.groupby("dimension")["rubric_version"].unique().map(sorted).to_dict()
    assert versions["discovery"] == ["v2"]
    assert len(mart) == len(scores)


def test_rep_weekly_mean_matches_pandas(engine: sa.Engine, scores: pd.DataFrame) -> None:
    keys = ["rep_user_id", "dimension", "week_start"]
    want = scores.groupby(keys, as_index=False)["overall_score"].agg(["mean", "count"])
    got = _mart(engine, "rep_weekly_trends").merge(want, on=keys, how="outer", indicator=True)
    assert (got["_merge"] == "both").all()
    assert (got["call_count"] == got["count"]).all()
    assert (got["mean_score"].astype(float) - got["mean"]).abs().max() < SCORE_TOLERANCE


def test_team_median_matches_pandas(engine: sa.Engine, scores: pd.DataFrame) -> None:
    keys = ["team", "role", "week_start", "dimension"]
    want = scores.groupby(keys)["overall_score"].median().rename("median").reset_index()
    got = _mart(engine, "team_weekly_scores").rename(columns={"rep_role": "role"}).merge(want, on=keys)
    assert len(got) == len(want)
    assert (got["median_score"].astype(float) - got["median"]).abs().max() < SCORE_TOLERANCE


def test_rep_percentiles_match_pandas(engine: sa.Engine, scores: pd.DataFrame) -> None:
    want = expected.benchmarks(scores)
    got = _mart(engine, "rep_benchmarks").merge(want, on=["rep_user_id", "dimension"], suffixes=("", "_pd"))
    assert len(got) == len(want)
    assert (got["mean_score"].astype(float) - got["mean_score_pd"]).abs().max() < SCORE_TOLERANCE
    assert (got["team_percentile"].astype(float) - got["team_percentile_pd"]).abs().max() < RATIO_TOLERANCE
    assert (got["role_percentile"].astype(float) - got["role_percentile_pd"]).abs().max() < RATIO_TOLERANCE


def test_daily_cost_and_cache_hit_rate_match_pandas(engine: sa.Engine) -> None:
    want = expected.daily_costs(engine)
    want["activity_date"] = pd.to_datetime(want["activity_date"])
    got = _mart(engine, "llm_daily_costs")
    got["activity_date"] = pd.to_datetime(got["activity_date"])
    merged = got.merge(want, on="activity_date", suffixes=("", "_pd"))
    assert len(merged) == len(want) == len(got)
    assert (merged["cost_usd"].astype(float) - merged["cost_usd_pd"]).abs().max() < 1e-6
    assert (merged["cache_hit_rate"].astype(float) - merged["cache_hit_rate_pd"]).abs().max() < RATIO_TOLERANCE


def test_coaching_focus_matches_pandas_weakest_criteria(engine: sa.Engine, scores: pd.DataFrame) -> None:
    keys = ["rep_user_id", "focus_rank", "dimension", "criterion_id"]
    want = expected.weakest_criteria(engine, scores)[keys].sort_values(keys).reset_index(drop=True)
    got = _mart(engine, "rep_coaching_focus")[keys].sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_coaching_focus_quotes_link_to_calls(engine: sa.Engine) -> None:
    focus = _mart(engine, "rep_coaching_focus")
    quoted = focus[focus["quote_count"] > 0]
    assert not quoted.empty
    assert quoted["top_quote_call_url"].str.startswith("https://").all()
    assert (quoted["evidence_quotes"].map(len) == quoted["quote_count"]).all()


def test_every_mart_column_is_described(marts_db: psycopg.Connection, dbt_target: Path) -> None:
    manifest = json.loads((dbt_target / "manifest.json").read_text(encoding="utf-8"))
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        described = {name for name, column in node["columns"].items() if column["description"].strip()}
        actual = {
            row[0]
            for row in marts_db.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = %s",
                (node["name"],),
            )
        }
        assert actual and actual == described, node["name"]
