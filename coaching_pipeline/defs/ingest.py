"""Ingestion assets: Gong users, raw and chunked transcripts, interaction stats, and their checks."""

from collections.abc import Callable, Iterator
from typing import Any

import dagster as dg
from pydantic import Field

from coaching_pipeline.defs.checks import range_check
from coaching_pipeline.defs.daily_metadata import report_days
from coaching_pipeline.defs.partitions import daily_partitions
from coaching_pipeline.defs.resources import GongResource, WarehouseResource
from coaching_pipeline.defs.window import partition_dates
from coaching_pipeline.ingestion.chunks import ChunkReport, chunk_calls, unrebuildable_calls
from coaching_pipeline.ingestion.coverage import uncovered_calls
from coaching_pipeline.ingestion.interaction import store_interaction_stats
from coaching_pipeline.ingestion.transcripts import TranscriptIngestReport, ingest_transcripts
from coaching_pipeline.ingestion.users import sync_users
from coaching_pipeline.settings import get_settings

SINGLE_RUN = dg.BackfillPolicy.single_run()

# The steps that call Gong run in this pool, which dagster.yaml limits to one step at a time across runs: the
# client's token bucket keeps one process under Gong's 3 requests/second, so only one process may call at once.
GONG_POOL = "gong_api"


def daily_asset(**kwargs: Any) -> Callable[..., dg.AssetsDefinition]:
    """A Postgres-backed asset with daily partitions whose backfills run as one run."""
    return dg.asset(kinds={"postgres"}, partitions_def=daily_partitions, backfill_policy=SINGLE_RUN, **kwargs)


@dg.asset(group_name="gong", kinds={"postgres"}, pool=GONG_POOL)
def gong_users(warehouse: WarehouseResource, gong: GongResource) -> dg.MaterializeResult:
    """Gong users with their coaching role (SE/AE/CSM) and team, derived from title and manager."""
    url = warehouse.url()
    with gong.client(url) as client:
        counts = sync_users(url, client.iter_users(), get_settings().coaching_teams_file)
        requests = client.request_count
    return dg.MaterializeResult(metadata={**counts, "gong_requests": requests})


class RawTranscriptsConfig(dg.Config):
    refetch: bool = Field(
        default=False,
        description="Ask Gong again for calls whose transcript is already stored (a transcript Gong corrected). "
        "Default: only calls without one, so a day's repeated sensor runs pay for their new calls only.",
    )


@daily_asset(group_name="gong", deps=[gong_users], pool=GONG_POOL)
def raw_transcripts(
    context: dg.AssetExecutionContext, config: RawTranscriptsConfig, warehouse: WarehouseResource, gong: GongResource
) -> Iterator[dg.AssetObservation | dg.MaterializeResult]:
    """Parties and transcripts of the partition's calls, stored verbatim with a normalized copy and SHA-256."""
    url = warehouse.url()
    start, end = partition_dates(context)
    with gong.client(url) as client:
        reports = ingest_transcripts(url, client, start, end, get_settings().timezone, refetch=config.refetch)
        requests = client.request_count
    yield from report_days(
        context,
        context.assets_def.key,
        {day: _transcript_figures(report) for day, report in reports.items()},
        empty=_transcript_figures(TranscriptIngestReport()),
        shared={"run_gong_requests": requests},
    )


def _transcript_figures(report: TranscriptIngestReport) -> dict[str, Any]:
    return {
        "calls": report.calls,
        "fetched": report.fetched,
        "stored": report.stored,
        "unchanged": report.unchanged,
        "waiting_for_transcript": report.waiting,
        "invalid": report.invalid,
        "warnings": report.warnings,
        "tokens": report.tokens,
        "issues": dg.MetadataValue.json(report.issues),
    }


every_call_has_transcript_or_reason = range_check(
    raw_transcripts,
    "every_call_has_transcript_or_reason",
    "Every call of the range has a stored transcript or a recorded reason why not.",
    uncovered_calls,
)


@daily_asset(group_name="transcripts", deps=[raw_transcripts])
def chunked_transcripts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetObservation | dg.MaterializeResult]:
    """Token-bounded, overlapping windows of each transcript that never split a sentence."""
    start, end = partition_dates(context)
    reports = chunk_calls(warehouse.url(), start, end)
    yield from report_days(
        context,
        context.assets_def.key,
        {day: report.model_dump() for day, report in reports.items()},
        empty=ChunkReport().model_dump(),
    )


chunks_rebuild_transcripts = range_check(
    chunked_transcripts,
    "chunks_rebuild_transcripts",
    "Dropping the overlaps, each call's chunks reassemble into exactly its stored transcript.",
    unrebuildable_calls,
)


@daily_asset(group_name="transcripts", deps=[raw_transcripts])
def call_interaction_stats(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetObservation | dg.MaterializeResult]:
    """Talk ratio, longest monologue and customer story, questions, interactivity and patience per call."""
    start, end = partition_dates(context)
    counts = store_interaction_stats(warehouse.url(), start, end)
    yield from report_days(context, context.assets_def.key, counts, empty={"calls": 0, "changed": 0})
