"""A run over several days reports each daily partition's own figures, not the run's totals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.defs import analysis, ingest, knowledge
from coaching_pipeline.defs.resources import AnalyzerResource, WarehouseResource
from coaching_pipeline.defs.sensors import range_tags
from coaching_sandbox.simulators.gong import serve_gong
from tests.defs.support import metadata_by_partition, simulated_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user

DAY_ONE, DAY_TWO = START.date().isoformat(), (START + timedelta(days=1)).date().isoformat()
CALLS = {DAY_ONE: 3, DAY_TWO: 1}


@pytest.fixture(scope="module")
def figures(isolated_database_url: str) -> dict[tuple[str, str | None], dict[str, Any]]:
    corpus = TinyCorpus(users=[rep_user()])
    for n in range(CALLS[DAY_ONE]):
        add_call(corpus, str(9400 + n), START + timedelta(hours=n))
    add_call(corpus, "9410", START + timedelta(days=1, hours=2))
    with serve_gong(corpus) as gong:
        resources = {
            "warehouse": WarehouseResource(database_url=isolated_database_url),
            "gong": simulated_gong(gong),
            "analyzer": AnalyzerResource(),
        }
        instance = dg.DagsterInstance.ephemeral()
        assert dg.materialize([ingest.gong_users, knowledge.coaching_rubrics], instance=instance, resources=resources)
        result = dg.materialize(
            [ingest.raw_transcripts, ingest.chunked_transcripts, ingest.call_interaction_stats, analysis.call_analyses],
            instance=instance,
            resources=resources,
            tags=range_tags(START.date(), START.date() + timedelta(days=1)),
        )
    assert result.success
    return metadata_by_partition(result)


@pytest.mark.parametrize(
    ("asset", "figure"),
    [
        ("raw_transcripts", "calls"),
        ("chunked_transcripts", "calls"),
        ("call_interaction_stats", "calls"),
        ("discovery_analyses", "calls_analysed"),
        ("engagement_analyses", "calls_in_range"),
    ],
)
def test_each_partition_of_a_two_day_run_counts_only_its_days_calls(
    figures: dict[tuple[str, str | None], dict[str, Any]], asset: str, figure: str
) -> None:
    assert {day: figures[(asset, day)][figure] for day in CALLS} == CALLS


def test_figures_of_the_whole_run_are_named_as_such(figures: dict[tuple[str, str | None], dict[str, Any]]) -> None:
    assert (
        figures[("raw_transcripts", DAY_ONE)]["run_gong_requests"]
        == figures[("raw_transcripts", DAY_TWO)]["run_gong_requests"]
    )
    assert figures[("discovery_analyses", DAY_TWO)]["analysis_mode"] == "offline"
