"""End to end on two weeks of the bundled sample corpus: Gong simulator -> transcripts -> offline analyses
-> `dbt build`, all through the code location's own job, then the same range again changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg
import pytest

from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.db import connect
from tests.conftest import SAMPLE_FIRST_DAY as FIRST
from tests.conftest import SAMPLE_LAST_DAY as LAST

TABLES = (
    "raw.calls",
    "raw.transcripts",
    "raw.transcript_chunks",
    "coaching.call_analyses",
    "coaching.call_interaction_stats",
    "marts.call_scores",
    "marts.rep_weekly_trends",
    "marts.team_weekly_scores",
    "marts.rep_benchmarks",
    "marts.reps",
)


def _counts(url: str) -> dict[str, int]:
    with connect(url) as conn:
        return {t: conn.execute(f"select count(*) as n from {t}").fetchone()["n"] for t in TABLES}


@pytest.fixture(scope="module")
def pipeline(sample_warehouse) -> Iterator[tuple[str, dg.ExecuteInProcessResult, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """The session's sample warehouse (tests/conftest.py), shared with the MCP app's tests."""
    url, result = sample_warehouse
    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url, result, _counts(url)
    patch.undo()
    get_settings.cache_clear()


def test_pipeline_builds_marts_from_the_sample_corpus(pipeline) -> None:  # type: ignore[no-untyped-def]
    _, result, counts = pipeline
    assert result.success
    assert counts["raw.calls"] >= 50
    assert counts["coaching.call_analyses"] == 4 * counts["raw.transcripts"]
    assert counts["marts.call_scores"] == counts["coaching.call_analyses"]
    assert counts["marts.team_weekly_scores"] > 0 and counts["marts.rep_benchmarks"] > 0


def test_pipeline_asset_checks_pass_on_the_sample_corpus(pipeline) -> None:  # type: ignore[no-untyped-def]
    _, result, _ = pipeline
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) >= 6
    assert [e.check_name for e in evaluations if not e.passed] == []


def test_pipeline_labels_offline_scores_as_offline(pipeline) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = pipeline
    with connect(url) as conn:
        models = {r["model"] for r in conn.execute("select distinct model from coaching.call_analyses")}
    assert models == {"offline-heuristic-v1"}


def test_pipeline_rerun_of_the_same_range_changes_nothing(pipeline) -> None:  # type: ignore[no-untyped-def]
    from coaching_pipeline.definitions import defs
    from coaching_pipeline.runner.runs import run_range

    url, _, counts = pipeline
    with connect(url) as conn:
        before = conn.execute("select count(*) as n from coaching.llm_requests").fetchone()["n"]
    run_range(defs, dg.DagsterInstance.ephemeral(), FIRST, LAST)
    assert _counts(url) == counts
    with connect(url) as conn:
        assert conn.execute("select count(*) as n from coaching.llm_requests").fetchone()["n"] == before
