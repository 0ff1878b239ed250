"""Independent pandas computations of mart figures straight from the raw tables, to cross-check dbt."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import sqlalchemy as sa

FOUR_PLACES = Decimal("0.0001")


def current_call_scores(engine: sa.Engine) -> pd.DataFrame:
    """Analyses at each dimension's highest rubric version (loaded or analysed), with rep team and role."""
    analyses = pd.read_sql(
        "select call_id, dimension, rubric_version, call_date, rep_user_id, overall_score from coaching.call_analyses",
        engine,
    )
    rubrics = pd.read_sql("select dimension, version as rubric_version from coaching.rubrics", engine)
    users = pd.read_sql("select user_id as rep_user_id, team, role from raw.users", engine)
    versions = pd.concat([rubrics, analyses[["dimension", "rubric_version"]]]).drop_duplicates()
    versions["number"] = versions["rubric_version"].str[1:].astype(int)
    current = versions.loc[versions.groupby("dimension")["number"].idxmax(), ["dimension", "rubric_version"]]
    scores = analyses.merge(current, on=["dimension", "rubric_version"]).merge(users, on="rep_user_id", how="left")
    scores["team"] = scores["team"].fillna("Unassigned")
    scores["call_date"] = pd.to_datetime(scores["call_date"])
    scores["week_start"] = scores["call_date"] - pd.to_timedelta(scores["call_date"].dt.weekday, unit="D")
    scores["score_decimal"] = scores["overall_score"].map(lambda value: Decimal(str(value)))
    scores["overall_score"] = scores["overall_score"].astype(float)
    return scores


def rounded_mean(values: list[Decimal]) -> Decimal:
    """Exact mean rounded half away from zero, as Postgres round(numeric, 4) does."""
    return (sum(values, Decimal(0)) / len(values)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def percent_rank(values: pd.Series) -> pd.Series:
    """SQL percent_rank: (rank - 1) / (rows - 1), 0 for a group of one."""
    ranks = values.rank(method="min")
    size = len(values)
    return (ranks - 1) / (size - 1) if size > 1 else ranks * 0.0


def benchmarks(scores: pd.DataFrame, weeks: int = 4) -> pd.DataFrame:
    """Call-weighted mean per rep and dimension over the latest `weeks` ISO weeks, ranked in team and role."""
    start = scores["week_start"].max() - pd.Timedelta(weeks=weeks - 1)
    window = scores[scores["week_start"] >= start]
    keys = ["rep_user_id", "dimension", "team", "role"]
    means = window.groupby(keys, as_index=False)["score_decimal"].agg(lambda scores: rounded_mean(list(scores)))
    means["mean_score"] = means["score_decimal"].astype(float)
    means["team_percentile"] = means.groupby(["dimension", "team"])["mean_score"].transform(percent_rank)
    means["role_percentile"] = means.groupby(["dimension", "role"])["mean_score"].transform(percent_rank)
    return means


def daily_costs(engine: sa.Engine) -> pd.DataFrame:
    """Dollars and cache hit rate per UTC day."""
    cost = pd.read_sql(
        "select (requested_at at time zone 'UTC')::date as activity_date, cost_usd from coaching.llm_requests",
        engine,
    )
    cache = pd.read_sql(
        "select (occurred_at at time zone 'UTC')::date as activity_date, is_hit from coaching.cache_events",
        engine,
    )
    dollars = cost.groupby("activity_date")["cost_usd"].sum().astype(float).rename("cost_usd")
    hit_rate = cache.groupby("activity_date")["is_hit"].mean().rename("cache_hit_rate")
    return pd.concat([dollars, hit_rate], axis=1).reset_index()


def weakest_criteria(engine: sa.Engine, scores: pd.DataFrame, weeks: int = 4) -> pd.DataFrame:
    """Each rep's three lowest mean criterion scores over the window (ties: more calls, then name order)."""
    analyses = pd.read_sql(
        "select call_id, dimension, rubric_version, criterion_scores from coaching.call_analyses", engine
    )
    start = scores["week_start"].max() - pd.Timedelta(weeks=weeks - 1)
    window = scores[scores["week_start"] >= start].merge(analyses, on=["call_id", "dimension", "rubric_version"])
    rows = [
        {
            "rep_user_id": call.rep_user_id,
            "dimension": call.dimension,
            "criterion_id": item["criterion_id"],
            "score": Decimal(item["score"]),
        }
        for call in window.itertuples()
        for item in call.criterion_scores
    ]
    criteria = pd.DataFrame(rows).groupby(["rep_user_id", "dimension", "criterion_id"], as_index=False)
    means = criteria["score"].agg(mean=lambda s: rounded_mean(list(s)), calls="count")
    means = means.sort_values(
        ["rep_user_id", "mean", "calls", "dimension", "criterion_id"],
        ascending=[True, True, False, True, True],
    )
    means["focus_rank"] = means.groupby("rep_user_id").cumcount() + 1
    return means[means["focus_rank"] <= 3]


STATUS_COLUMNS = {
    "analysed": "analysed_call_count",
    "skipped": "skipped_call_count",
    "failed": "failed_call_count",
    "deferred": "deferred_call_count",
    "awaiting": "awaiting_analysis_call_count",
    "waiting": "waiting_for_transcript_call_count",
    "invalid": "invalid_transcript_call_count",
}


def daily_coverage(engine: sa.Engine) -> pd.DataFrame:
    """Each call's status in the documented order (transcript first, then analysed on every current version,
    skipped, failed, deferred, awaiting), counted per rep and call date."""
    calls = pd.read_sql("select call_id, call_date, primary_user_id, transcript_status from raw.calls", engine)
    rubrics = pd.read_sql("select dimension, version from coaching.rubrics", engine)
    rubrics["number"] = rubrics["version"].str[1:].astype(int)
    current = {
        (row.dimension, row.version)
        for row in rubrics.loc[rubrics.groupby("dimension")["number"].idxmax()].itertuples()
    }
    analyses = pd.read_sql("select call_id, dimension, rubric_version from coaching.call_analyses", engine)
    failures = pd.read_sql("select call_id, dimension, rubric_version, status from coaching.analysis_failures", engine)
    skipped = set(pd.read_sql("select call_id from coaching.analysis_skips", engine)["call_id"])
    scored = analyses[
        [(d, v) in current for d, v in zip(analyses["dimension"], analyses["rubric_version"], strict=True)]
    ]
    analysed = set(scored.groupby("call_id").size().loc[lambda n: n == len(current)].index)
    live = failures[[(d, v) in current for d, v in zip(failures["dimension"], failures["rubric_version"], strict=True)]]
    failed = set(live.loc[live["status"] == "failed", "call_id"])
    deferred = set(live.loc[live["status"] == "deferred", "call_id"])

    def status(call: pd.Series) -> str:
        if call["transcript_status"] != "ready":
            return "waiting" if call["transcript_status"] == "pending" else "invalid"
        for name, members in (("analysed", analysed), ("skipped", skipped), ("failed", failed), ("deferred", deferred)):
            if call["call_id"] in members:
                return name
        return "awaiting"

    calls["status"] = calls.apply(status, axis=1)
    calls["rep_user_id"] = calls["primary_user_id"].fillna("unassigned")
    counts = pd.crosstab([calls["rep_user_id"], calls["call_date"]], calls["status"])
    counts = counts.reindex(columns=list(STATUS_COLUMNS), fill_value=0).rename(columns=STATUS_COLUMNS)
    counts["recorded_call_count"] = counts.sum(axis=1)
    return counts.reset_index()
