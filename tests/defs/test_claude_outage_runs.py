"""Claude overloaded, seen from Dagster: the analysis run succeeds with its work deferred, not failed, and the
next run, with the breaker stored open, succeeds again without sending Claude a request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.defs import analysis, ingest, knowledge
from coaching_pipeline.defs.resources import AnalyzerResource, WarehouseResource
from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.claude import RunningClaude, serve_claude
from coaching_sandbox.simulators.gong import serve_gong
from tests.defs.support import analysis_metadata, simulated_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user

PARTITION = START.date().isoformat()
PIPELINE = [ingest.raw_transcripts, ingest.chunked_transcripts, analysis.call_analyses]


@pytest.fixture(scope="module")
def world(isolated_database_url: str) -> Iterator[tuple[dict[str, Any], RunningClaude]]:
    corpus = TinyCorpus(users=[rep_user()])
    for n in range(2):
        add_call(corpus, str(9400 + n), START + timedelta(hours=n))
    with serve_gong(corpus) as gong, serve_claude() as claude, pytest.MonkeyPatch.context() as env:
        env.setenv("COACHING_BREAKER_THRESHOLD", "1")
        env.setenv("COACHING_BREAKER_COOLDOWN_SECONDS", "3600")
        get_settings.cache_clear()
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
    get_settings.cache_clear()


def _run(resources: dict[str, Any]) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        PIPELINE, instance=dg.DagsterInstance.ephemeral(), resources=resources, partition_key=PARTITION
    )


def test_call_analyses_run_succeeds_with_work_deferred_and_the_next_run_sends_nothing(
    world: tuple[dict[str, Any], RunningClaude], isolated_database_url: str
) -> None:
    resources, claude = world
    claude.sim.faults.overloaded = 10_000

    first = _run(resources)
    assert first.success
    figures = analysis_metadata(first)
    assert all((f["deferred"], f["failures"], f["calls_analysed"]) == (2, 0, 0) for f in figures.values())
    assert len(claude.sim.logged()) == 1, "the breaker opened on the first 529"

    second = _run(resources)
    assert second.success
    assert all(f["deferred"] == 2 and f["api_requests"] == 0 for f in analysis_metadata(second).values())
    assert len(claude.sim.logged()) == 1
    with connect(isolated_database_url) as conn:
        statuses = conn.execute("select distinct status from coaching.analysis_failures").fetchall()
        opened = conn.execute("select count(*) as n from coaching.pipeline_events where kind = 'breaker_opened'")
        assert [r["status"] for r in statuses] == ["deferred"] and opened.fetchone()["n"] == 1
