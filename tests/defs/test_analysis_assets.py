"""The analysis assets through the real SDK and the Claude simulator: per-dimension metadata, free re-runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.defs import analysis, ingest, knowledge
from coaching_pipeline.defs.resources import AnalyzerResource, WarehouseResource
from coaching_sandbox.simulators.claude import serve_claude
from coaching_sandbox.simulators.gong import serve_gong
from tests.defs.support import analysis_metadata, simulated_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user

PARTITION = START.date().isoformat()
PIPELINE = [ingest.raw_transcripts, ingest.chunked_transcripts, analysis.call_analyses]


@pytest.fixture(scope="module")
def world(isolated_database_url: str) -> Iterator[tuple[dict[str, Any], Any]]:
    corpus = TinyCorpus(users=[rep_user()])
    for n in range(3):
        add_call(corpus, str(9300 + n), START + timedelta(hours=n))
    with serve_gong(corpus) as gong, serve_claude() as claude:
        resources = {
            "warehouse": WarehouseResource(database_url=isolated_database_url),
            "gong": simulated_gong(gong),
            "analyzer": AnalyzerResource(anthropic_api_key="sim-key", anthropic_base_url=claude.base_url),
        }
        instance = dg.DagsterInstance.ephemeral()
        assert dg.materialize(
            [ingest.gong_users, knowledge.coaching_rubrics], instance=instance, resources=resources
        ).success
        yield resources, claude


def test_call_analyses_first_run_calls_claude_and_shares_the_transcript_prefix(world) -> None:  # type: ignore[no-untyped-def]
    resources, claude = world
    result = dg.materialize(
        PIPELINE, instance=dg.DagsterInstance.ephemeral(), resources=resources, partition_key=PARTITION
    )
    assert result.success
    figures = analysis_metadata(result)
    assert set(figures) == {
        f"{d}_analyses" for d in ("discovery", "product_knowledge", "objection_handling", "engagement")
    }
    assert all(f["calls_analysed"] == 3 and f["api_requests"] >= 3 for f in figures.values())
    assert all(f["model"] == "claude-sonnet-5-5" and f["cost_usd"] > 0 for f in figures.values())
    assert sum(f["cache_read_tokens"] for f in figures.values()) > 0
    assert len(claude.sim.logged()) >= 12


def test_call_analyses_rematerializing_unchanged_partition_makes_zero_api_calls(world) -> None:  # type: ignore[no-untyped-def]
    resources, claude = world
    before = len(claude.sim.logged())
    result = dg.materialize(
        PIPELINE, instance=dg.DagsterInstance.ephemeral(), resources=resources, partition_key=PARTITION
    )
    assert result.success
    assert len(claude.sim.logged()) == before
    figures = analysis_metadata(result)
    assert all(f["api_requests"] == 0 and f["cache_hits"] == 3 and f["cache_hit_rate"] == 1.0 for f in figures.values())


def test_call_analyses_can_materialize_one_dimension(world) -> None:  # type: ignore[no-untyped-def]
    resources, _ = world
    result = dg.materialize(
        PIPELINE,
        instance=dg.DagsterInstance.ephemeral(),
        resources=resources,
        partition_key=PARTITION,
        selection=[dg.AssetKey("discovery_analyses")],
    )
    assert result.success
    assert set(analysis_metadata(result)) == {"discovery_analyses"}


def test_call_analyses_checks_pass(world) -> None:  # type: ignore[no-untyped-def]
    resources, _ = world
    result = dg.materialize(
        PIPELINE + analysis.analysis_checks,
        instance=dg.DagsterInstance.ephemeral(),
        resources=resources,
        partition_key=PARTITION,
        selection=[dg.AssetKey("engagement_analyses")],
    )
    evaluations = result.get_asset_check_evaluations()
    assert [e.check_name for e in evaluations] == ["scores_in_range_and_evidence_verified"]
    assert evaluations[0].passed
