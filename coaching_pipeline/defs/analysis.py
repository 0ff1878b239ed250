"""The four analysis assets (one per coaching dimension), computed together so a call's dimensions share the
cached transcript prefix, yet selectable one by one (a rubric bump re-runs only its dimension)."""

from functools import partial

import dagster as dg
from pydantic import Field

from coaching_pipeline.analysis.engine import AnalysisEngine
from coaching_pipeline.analysis.engine.batch_choice import BatchChoice, BatchPolicy
from coaching_pipeline.analysis.engine.checks import analyses_out_of_range
from coaching_pipeline.analysis.engine.run_report import (
    empty_figures,
    ready_calls_by_day,
    skips_by_day,
    summarize_run,
)
from coaching_pipeline.analysis.engine.work import ready_call_ids
from coaching_pipeline.defs.checks import range_check
from coaching_pipeline.defs.daily_metadata import report_days
from coaching_pipeline.defs.ingest import chunked_transcripts
from coaching_pipeline.defs.knowledge import coaching_rubrics
from coaching_pipeline.defs.partitions import daily_partitions
from coaching_pipeline.defs.resources import AnalyzerResource, WarehouseResource
from coaching_pipeline.defs.window import partition_dates
from coaching_pipeline.knowledge.models import Dimension
from coaching_pipeline.logs import configure_logging, log_context
from coaching_pipeline.settings import BatchMode


def analysis_key(dimension: Dimension) -> dg.AssetKey:
    return dg.AssetKey(f"{dimension.value}_analyses")


_SPECS = [
    dg.AssetSpec(
        analysis_key(d),
        group_name="analysis",
        kinds={"anthropic", "postgres"},
        deps=[chunked_transcripts, coaching_rubrics],
        description=f"Each call scored on {d.value.replace('_', ' ')} against the current rubric; cached by "
        "transcript hash + dimension + rubric version + prompt version + model.",
    )
    for d in Dimension
]


class AnalysisConfig(dg.Config):
    use_batches: BatchMode | None = Field(
        default=None,
        description="Message Batches for this run: always, never or auto; unset: COACHING_USE_BATCHES "
        "(`coaching run --batch` / `--no-batch` set it).",
    )


def analysis_mode(choice: BatchChoice | None, analyzer_kind: str) -> str:
    if analyzer_kind != "claude":
        return "offline"
    return "batch" if choice is not None and choice.use_batch else "sync"


@dg.multi_asset(
    name="call_analyses",
    specs=_SPECS,
    can_subset=True,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def call_analyses(
    context: dg.AssetExecutionContext, config: AnalysisConfig, warehouse: WarehouseResource, analyzer: AnalyzerResource
):
    url = warehouse.url()
    dimensions = [d for d in Dimension if analysis_key(d) in context.selected_asset_keys]
    start, end = partition_dates(context)
    settings = analyzer.settings()
    engine_analyzer = analyzer.analyzer()
    engine = AnalysisEngine(url, engine_analyzer, settings=settings)
    call_ids = ready_call_ids(url, start, end)
    policy = BatchPolicy(
        mode=config.use_batches or settings.coaching_use_batches,
        source="this run's config" if config.use_batches else "COACHING_USE_BATCHES",
        days=max(1, (end - start).days),
        min_calls=settings.coaching_batch_min_calls,
    )
    configure_logging(settings.coaching_log_format)
    with log_context(run_id=context.run.run_id):
        report = engine.analyze_calls(call_ids, dimensions, run_id=context.run.run_id, use_batch=policy)
    summary = summarize_run(url, context.run.run_id, start, end)
    skipped = skips_by_day(url, start, end)
    ready = ready_calls_by_day(url, start, end)
    shared = {
        "analysis_mode": analysis_mode(report.batch, engine_analyzer.kind),
        "batch_choice": report.batch.reason if report.batch else "",
        "model": engine_analyzer.model,
        "analyzer": engine_analyzer.kind,
    }
    for dimension in dimensions:
        by_day = {
            day: {
                **summary.get(day, {}).get(dimension, empty_figures()),
                "calls_in_range": ready.get(day, 0),
                "calls_skipped": sum(skipped.get(day, {}).values()),
                "skipped_by_reason": dg.MetadataValue.json(skipped.get(day, {})),
            }
            for day in {*summary, *skipped, *ready}
        }
        empty = {
            **empty_figures(),
            "calls_in_range": 0,
            "calls_skipped": 0,
            "skipped_by_reason": dg.MetadataValue.json({}),
        }
        yield from report_days(context, analysis_key(dimension), by_day, empty=empty, shared=shared)


analysis_checks = [
    range_check(
        analysis_key(d),
        "scores_in_range_and_evidence_verified",
        "Every score is within 1-5 and every stored quote was found in the transcript.",
        partial(analyses_out_of_range, dimension=d),
    )
    for d in Dimension
]
