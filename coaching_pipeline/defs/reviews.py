"""weekly_reviews: each week's rep and team reviews, rendered, written and delivered once, and the schedule
that materializes last week's partition."""

import dagster as dg

from coaching_pipeline.defs.partitions import weekly_partitions
from coaching_pipeline.defs.resources import ReviewDeliveryResource, WarehouseResource
from coaching_pipeline.reviews.weekly import WeekOutcome, run_week
from coaching_pipeline.settings import get_settings

CRON_WEEKDAYS = {"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}
MART_DEPS = [
    dg.AssetKey(["marts", name])
    for name in (
        "reps",
        "call_scores",
        "call_criterion_scores",
        "call_interaction_stats",
        "rep_weekly_trends",
        "team_weekly_scores",
        "llm_daily_costs",
    )
]
DELIVERED_CHECK = "every_review_delivered"


@dg.asset(
    partitions_def=weekly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=MART_DEPS,
    group_name="reviews",
    kinds={"email", "slack"},
    check_specs=[dg.AssetCheckSpec(DELIVERED_CHECK, asset="weekly_reviews")],
)
def weekly_reviews(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, review_delivery: ReviewDeliveryResource
) -> dg.MaterializeResult:
    """Each rep's and each manager's review of the week, written as HTML and Markdown under
    COACHING_HOME/reviews/<week>/ and sent by email and Slack when configured, each message once (the
    coaching.review_deliveries ledger). The check fails when a message could not be delivered."""
    url = warehouse.url()
    config, overrides = review_delivery.config(), review_delivery.overrides()
    outcomes: list[WeekOutcome] = []
    for key in context.partition_keys:
        outcome = run_week(
            url,
            weekly_partitions.time_window_for_partition_key(key).start.date(),
            out_dir=review_delivery.week_dir(key),
            config=config,
            overrides=overrides,
            base_url=review_delivery.base_url,
        )
        context.log.info(_summary(outcome))
        outcomes.append(outcome)
    failures = [f"{o.week} {f.key.channel} to {f.key.recipient}: {f.error}" for o in outcomes for f in o.failures]
    return dg.MaterializeResult(
        metadata={
            "weeks": ", ".join(o.week for o in outcomes),
            "rep_reviews": sum(o.rep_reviews for o in outcomes),
            "team_reviews": sum(o.team_reviews for o in outcomes),
            "files": sum(len(o.files) for o in outcomes),
            "folder": dg.MetadataValue.path(str(review_delivery.week_dir(context.partition_keys[-1]))),
            "dry_run": all(o.dry_run for o in outcomes),
            "sent": sum(o.count("sent") for o in outcomes),
            "already_sent": sum(o.count("skipped") for o in outcomes),
            "failed": len(failures),
            "summary": dg.MetadataValue.md("\n".join(f"- {_summary(o)}" for o in outcomes)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=DELIVERED_CHECK,
                passed=not failures,
                severity=dg.AssetCheckSeverity.ERROR,
                description="Every message of the week was sent (or had been sent by an earlier run).",
                metadata={"failures": dg.MetadataValue.md("\n".join(f"- {f}" for f in failures) or "none")},
            )
        ],
    )


def _summary(outcome: WeekOutcome) -> str:
    head = f"{outcome.week}: {outcome.rep_reviews} rep and {outcome.team_reviews} team reviews written"
    if outcome.dry_run:
        return head + "; dry run (no SMTP or Slack configured), nothing sent"
    return (
        f"{head}; sent {outcome.count('sent')}, already sent {outcome.count('skipped')}, "
        f"failed {outcome.count('failed')}"
    )


weekly_reviews_job = dg.define_asset_job(
    "weekly_reviews_job",
    selection=dg.AssetSelection.assets(weekly_reviews),
    description="Render, write and deliver the weekly reviews of the weeks given.",
)


def build_weekly_reviews_schedule() -> dg.ScheduleDefinition:
    """Last week's partition, on COACHING_REVIEW_DAY at COACHING_REVIEW_HOUR in COACHING_TIMEZONE."""
    settings = get_settings()
    return dg.build_schedule_from_partitioned_job(
        weekly_reviews_job,
        name="weekly_reviews_schedule",
        minute_of_hour=0,
        hour_of_day=settings.coaching_review_hour,
        day_of_week=CRON_WEEKDAYS[settings.coaching_review_day],
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
