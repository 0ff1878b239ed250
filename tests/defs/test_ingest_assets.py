"""The real sensor and the real assets: one run per tick, a range as one run, idempotent re-materialization."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.defs import ingest
from coaching_pipeline.defs.resources import WarehouseResource
from coaching_pipeline.defs.sensors import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    build_gong_calls_sensor,
    range_tags,
)
from coaching_pipeline.runner.runs import pipeline_run_config
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.gong import serve_gong
from tests.defs.support import simulated_gong
from tests.ingestion.gong_shapes import START, TinyCorpus, add_call, rep_user

ASSETS = [ingest.gong_users, ingest.raw_transcripts, ingest.chunked_transcripts, ingest.call_interaction_stats]
TABLES = (
    "raw.users",
    "raw.calls",
    "raw.call_participants",
    "raw.transcripts",
    "raw.transcript_chunks",
    "raw.ingestion_issues",
    "coaching.call_interaction_stats",
)


@pytest.fixture(scope="module")
def resources(isolated_database_url: str) -> Iterator[dict[str, Any]]:
    corpus = TinyCorpus(users=[rep_user()])
    for n in range(6):
        add_call(corpus, str(9100 + n), START + timedelta(days=n // 2, hours=n))
    add_call(corpus, "9199", START + timedelta(hours=5), transcript=[])
    with serve_gong(corpus, page_size=4) as gong:
        yield {
            "warehouse": WarehouseResource(database_url=isolated_database_url),
            "gong": simulated_gong(gong),
        }


def _counts(url: str) -> dict[str, int]:
    with connect(url) as conn:
        return {t: conn.execute(f"select count(*) as n from {t}").fetchone()["n"] for t in TABLES}


def test_gong_calls_sensor_requests_one_run_for_new_days_then_skips(resources: dict[str, Any]) -> None:
    job = dg.define_asset_job("ingest_job", selection=ASSETS[1:])
    sensor = build_gong_calls_sensor(job)
    instance = dg.DagsterInstance.ephemeral()
    first = sensor(dg.build_sensor_context(instance=instance, cursor=None, resources=resources))
    assert isinstance(first, dg.SensorResult)
    assert len(first.run_requests) == 1
    request = first.run_requests[0]
    assert request.tags[PARTITION_RANGE_START_TAG] == START.date().isoformat()
    assert request.tags[PARTITION_RANGE_END_TAG] == (START.date() + timedelta(days=2)).isoformat()
    assert request.tags["coaching/calls"] == "7"
    cursor = first.cursor
    for _ in range(6):
        later = sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources))
        assert not later.run_requests
        cursor = later.cursor
    assert cursor != first.cursor


def test_raw_transcripts_range_runs_as_one_run_and_rerun_changes_nothing(
    resources: dict[str, Any], isolated_database_url: str
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    tags = range_tags(START.date(), START.date() + timedelta(days=2))
    first = dg.materialize(ASSETS, instance=instance, resources=resources, tags=tags)
    assert first.success
    after_first = _counts(isolated_database_url)
    assert after_first["raw.transcripts"] == 6
    assert after_first["raw.ingestion_issues"] == 1
    assert after_first["raw.transcript_chunks"] >= 6
    second = dg.materialize(ASSETS, instance=instance, resources=resources, tags=tags)
    assert second.success
    assert _counts(isolated_database_url) == after_first
    runs = instance.get_runs()
    assert len(runs) == 2


def test_ingest_asset_checks_pass_on_ingested_partition(resources: dict[str, Any]) -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        ASSETS + [ingest.every_call_has_transcript_or_reason, ingest.chunks_rebuild_transcripts],
        instance=instance,
        resources=resources,
        partition_key=START.date().isoformat(),
        selection=ASSETS[1:3],
    )
    evaluations = result.get_asset_check_evaluations()
    assert {e.check_name for e in evaluations} == {"every_call_has_transcript_or_reason", "chunks_rebuild_transcripts"}
    assert all(e.passed for e in evaluations)


def test_raw_transcripts_asks_gong_again_for_stored_calls_only_when_configured(resources: dict[str, Any]) -> None:
    """The day's calls: 9100 and 9101 stored, 9199 invalid (asked for again, as Gong may have fixed it)."""
    instance = dg.DagsterInstance.ephemeral()
    day = START.date().isoformat()

    def fetched(run_config: dict[str, Any] | None = None) -> int:
        result = dg.materialize(
            ASSETS,
            instance=instance,
            resources=resources,
            partition_key=day,
            selection=ASSETS[1:2],
            run_config=run_config,
        )
        assert result.success
        return int(result.asset_materializations_for_node("raw_transcripts")[0].metadata["fetched"].value)

    fetched()
    assert fetched() == 1
    assert fetched(pipeline_run_config(refetch=True)) == 3
