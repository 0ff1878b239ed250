"""Every call counted, through the real assets, the Gong simulator and the Claude simulator over HTTP: a call with
an unidentified speaker is stored and analysed, internal calls are skipped (no request reaches Claude) until
COACHING_ANALYZE_SCOPES names Internal, and COACHING_USE_BATCHES=auto batches a backfill above the threshold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dagster as dg
import pytest

from coaching_pipeline.defs import analysis, ingest, knowledge
from coaching_pipeline.defs.resources import AnalyzerResource, WarehouseResource
from coaching_pipeline.defs.sensors import range_tags
from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.claude import serve_claude
from coaching_sandbox.simulators.gong import serve_gong
from tests.defs.support import analysis_metadata, simulated_gong
from tests.ingestion.gong_shapes import REP_ID, START, TinyCorpus, add_call, default_transcript, rep_user

PARTITION = START.date().isoformat()
PIPELINE = [ingest.raw_transcripts, ingest.chunked_transcripts, ingest.call_interaction_stats, analysis.call_analyses]
DIAL_IN = {"speakerId": "5550123", "topic": None, "sentences": [{"start": 9500, "end": 19500, "text": "Hello?"}]}
MARKER = "Internal standup notes only"
EXTERNAL, UNIDENTIFIED, INTERNAL_SCOPE, ALL_INTERNAL, NEXT_DAY = "9401", "9402", "9403", "9404", "9411"


def _internal_call(corpus: TinyCorpus, call_id: str, hours: int, *, scope: str, colleague: bool) -> None:
    parties = [
        {"id": f"{call_id}1", "speakerId": f"{call_id}91", "userId": REP_ID, "name": "Zoë", "affiliation": "Internal"},
        {
            "id": f"{call_id}2",
            "speakerId": f"{call_id}92",
            "name": "Colleague" if colleague else "Guest",
            "affiliation": "Internal" if colleague else "External",
        },
    ]
    transcript = default_transcript(call_id)
    transcript[0]["sentences"][0]["text"] = f"{MARKER} for {call_id}."
    add_call(corpus, call_id, START + timedelta(hours=hours), parties=parties, transcript=transcript)
    corpus.calls[-1]["metaData"]["scope"] = scope


def _corpus() -> TinyCorpus:
    corpus = TinyCorpus(users=[rep_user()])
    add_call(corpus, EXTERNAL, START)
    add_call(corpus, UNIDENTIFIED, START + timedelta(hours=1), transcript=[*default_transcript(UNIDENTIFIED), DIAL_IN])
    _internal_call(corpus, INTERNAL_SCOPE, 2, scope="Internal", colleague=False)
    _internal_call(corpus, ALL_INTERNAL, 3, scope="Unknown", colleague=True)
    add_call(corpus, NEXT_DAY, START + timedelta(days=1))
    return corpus


def _state(url: str) -> dict[str, Any]:
    with connect(url) as conn:
        analyses = conn.execute("select call_id, count(*) as n from coaching.call_analyses group by call_id")
        skips = conn.execute("select call_id, scope, reason from coaching.analysis_skips")
        stats = conn.execute("select call_id, rep_talk_ratio from coaching.call_interaction_stats")
        return {
            "analyses": {r["call_id"]: r["n"] for r in analyses},
            "skips": {r["call_id"]: (r["scope"], r["reason"]) for r in skips},
            "talk_ratio": {r["call_id"]: float(r["rep_talk_ratio"]) for r in stats},
        }


@pytest.fixture(scope="module")
def runs(isolated_database_url: str) -> Iterator[dict[str, Any]]:
    with serve_gong(_corpus()) as gong, serve_claude() as claude, pytest.MonkeyPatch.context() as env:
        resources = {
            "warehouse": WarehouseResource(database_url=isolated_database_url),
            "gong": simulated_gong(gong),
            "analyzer": AnalyzerResource(anthropic_api_key="sim-key", anthropic_base_url=claude.base_url),
        }
        instance = dg.DagsterInstance.ephemeral()
        assert dg.materialize([ingest.gong_users, knowledge.coaching_rubrics], instance=instance, resources=resources)
        default = dg.materialize(PIPELINE, instance=instance, resources=resources, partition_key=PARTITION)
        first = {"state": _state(isolated_database_url), "metadata": analysis_metadata(default)}
        first["requests"] = [json.dumps(r.body) for r in claude.sim.logged()]
        env.setenv("COACHING_ANALYZE_SCOPES", "Internal,External,Unknown")
        get_settings.cache_clear()
        enabled = dg.materialize(
            PIPELINE,
            instance=instance,
            resources=resources,
            partition_key=PARTITION,
            selection=[analysis.analysis_key(d) for d in analysis.Dimension],
        )
        second = {"state": _state(isolated_database_url), "metadata": analysis_metadata(enabled)}
        second["requests"] = [json.dumps(r.body) for r in claude.sim.logged()]
        env.setenv("COACHING_USE_BATCHES", "auto")
        env.setenv("COACHING_BATCH_MIN_CALLS", "5")
        env.setenv("COACHING_BATCH_POLL_SECONDS", "0")
        get_settings.cache_clear()
        tags = range_tags(START.date(), START.date() + timedelta(days=1))
        backfill = dg.materialize(PIPELINE, instance=instance, resources=resources, tags=tags)
        third = {"state": _state(isolated_database_url), "metadata": analysis_metadata(backfill)}
        third["batches"] = claude.sim.logged("/v1/messages/batches")
    get_settings.cache_clear()
    yield {"default": first, "enabled": second, "backfill": third}


def test_call_with_unidentified_speaker_is_analysed_on_every_dimension(runs: dict[str, Any]) -> None:
    assert runs["default"]["state"]["analyses"][UNIDENTIFIED] == 4


def test_call_with_unidentified_speaker_leaves_it_out_of_the_talk_ratio(runs: dict[str, Any]) -> None:
    # Rep 2.5 s, customer 3.9 + 1.8 s; the dial-in's 10 s count for nobody.
    assert runs["default"]["state"]["talk_ratio"][UNIDENTIFIED] == pytest.approx(2.5 / 8.2, abs=1e-4)


def test_internal_calls_are_recorded_as_skipped_with_their_reason(runs: dict[str, Any]) -> None:
    state = runs["default"]["state"]
    assert state["skips"] == {
        INTERNAL_SCOPE: ("Internal", "internal_scope"),
        ALL_INTERNAL: ("Internal", "no_external_participant"),
    }
    assert set(state["analyses"]) == {EXTERNAL, UNIDENTIFIED}


def test_internal_calls_send_no_request_to_claude(runs: dict[str, Any]) -> None:
    requests = runs["default"]["requests"]
    assert requests and not [body for body in requests if MARKER in body]


def test_analysis_metadata_counts_skips_and_says_why_no_batches(runs: dict[str, Any]) -> None:
    figures = runs["default"]["metadata"]["discovery_analyses"]
    assert (figures["calls_skipped"], figures["skipped_by_reason"]) == (
        2,
        {"internal_scope": 1, "no_external_participant": 1},
    )
    assert figures["analysis_mode"] == "sync"
    assert figures["batch_choice"] == "auto: 2 calls to analyse over 1 day, a single day stays synchronous"


def test_analyze_scopes_setting_turns_internal_analysis_back_on(runs: dict[str, Any]) -> None:
    enabled = runs["enabled"]
    assert enabled["state"]["skips"] == {}
    assert all(enabled["state"]["analyses"][call] == 4 for call in (INTERNAL_SCOPE, ALL_INTERNAL))
    assert [body for body in enabled["requests"] if MARKER in body]
    assert enabled["metadata"]["engagement_analyses"]["calls_skipped"] == 0


def test_auto_batches_a_backfill_from_the_threshold(runs: dict[str, Any]) -> None:
    backfill = runs["backfill"]
    figures = backfill["metadata"]["discovery_analyses"]
    assert figures["analysis_mode"] == "batch"
    assert figures["batch_choice"] == "auto: 5 calls to analyse over 2 days, at least COACHING_BATCH_MIN_CALLS=5"
    # Only the new day's call missed the cache: one batch of its four dimensions.
    assert [len(batch.body["requests"]) for batch in backfill["batches"]] == [4]
    assert backfill["state"]["analyses"][NEXT_DAY] == 4
