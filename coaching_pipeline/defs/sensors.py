"""gong_calls_sensor: polls Gong for new calls and newly ready transcripts, and requests partition runs."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import dagster as dg

from coaching_pipeline.defs.resources import GongResource, WarehouseResource
from coaching_pipeline.gong.errors import GongConfigurationError
from coaching_pipeline.ingestion.backoff import OUTAGE_ERRORS, BackoffPolicy, back_off, record_backoff
from coaching_pipeline.ingestion.cursor import PollCursor
from coaching_pipeline.ingestion.poll import poll_gong, run_key
from coaching_pipeline.settings import get_settings

POLL_INTERVAL_SECONDS = 300

# Dagster's documented run tags for one run over a range of partitions (a single-run backfill).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


def utc_now() -> datetime:
    return datetime.now(UTC)


def range_tags(first: date, last: date) -> dict[str, str]:
    """Dagster's tags for one run over the partitions [first, last] (single-run backfill policy)."""
    return {PARTITION_RANGE_START_TAG: first.isoformat(), PARTITION_RANGE_END_TAG: last.isoformat()}


def run_request_for(partitions: dict[date, list[str]]) -> dg.RunRequest:
    """One run for everything this tick found: a single partition, or a single-run range when several days
    changed (e.g. the first poll of a quarter), instead of one run per day."""
    days = sorted(partitions)
    all_ids = sorted(i for ids in partitions.values() for i in ids)
    calls = {"coaching/calls": str(len(all_ids))}
    if len(days) == 1:
        return dg.RunRequest(run_key=run_key(days[0], all_ids), partition_key=days[0].isoformat(), tags=calls)
    return dg.RunRequest(
        run_key=f"{run_key(days[0], all_ids)}-to-{days[-1].isoformat()}",
        tags={**range_tags(days[0], days[-1]), **calls},
    )


def build_gong_calls_sensor(
    job: dg.JobDefinition | Any, *, clock: Callable[[], datetime] = utc_now
) -> dg.SensorDefinition:
    """`clock` lets tests move time past a back-off instead of waiting it out."""

    @dg.sensor(
        name="gong_calls_sensor",
        job=job,
        minimum_interval_seconds=POLL_INTERVAL_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Lists Gong calls since the cursor (with an overlap window for late listings), records them, "
        "probes pending transcripts, reads stored Gong webhook deliveries, and requests one run for the "
        "partitions that changed. While Gong fails it backs off (GONG_BACKOFF_SECONDS, doubling up to "
        "GONG_BACKOFF_MAX_SECONDS, or Gong's Retry-After) and says until when.",
    )
    def gong_calls_sensor(
        context: dg.SensorEvaluationContext, warehouse: WarehouseResource, gong: GongResource
    ) -> dg.SensorResult | dg.SkipReason:
        settings = get_settings()
        cursor, now = PollCursor.from_json(context.cursor), clock()
        if cursor.backoff is not None and cursor.backoff.waiting(now):
            return dg.SkipReason(cursor.backoff.describe())
        url = warehouse.url()
        start = datetime.combine(
            date.fromisoformat(settings.coaching_start_date), datetime.min.time(), tzinfo=settings.timezone
        )
        try:
            with gong.client(url) as client:
                result = poll_gong(url, client, cursor, now=now, start=start, tz=settings.timezone)
        except GongConfigurationError as exc:
            return dg.SkipReason(str(exc))
        except OUTAGE_ERRORS as exc:
            backoff = back_off(cursor.backoff, exc, now, BackoffPolicy.from_settings(settings))
            record_backoff(url, context.cursor, backoff, exc)
            context.log.warning(backoff.describe())
            return dg.SensorResult(
                skip_reason=dg.SkipReason(backoff.describe()),
                cursor=cursor.model_copy(update={"backoff": backoff}).to_json(),
            )
        if cursor.backoff is not None:
            context.log.info(f"Gong is back after {cursor.backoff.failures} failed polls; catching up from the cursor")
        partitions = result.partitions()
        context.log.info(
            f"listed {result.listed} calls in [{result.window.from_dt}, {result.window.to_dt}); "
            f"{sum(map(len, result.new_calls.values()))} new, "
            f"{sum(map(len, result.transcripts_ready.values()))} transcripts now ready, "
            f"{sum(map(len, result.webhook_calls.values()))} calls announced by webhook"
        )
        if not partitions:
            return dg.SensorResult(
                skip_reason=dg.SkipReason(f"no new calls or transcripts up to {result.window.to_dt.isoformat()}"),
                cursor=result.cursor.to_json(),
            )
        return dg.SensorResult(run_requests=[run_request_for(partitions)], cursor=result.cursor.to_json())

    return gong_calls_sensor
