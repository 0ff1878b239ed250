"""A team review as a Slack Block Kit message: team aggregates only (a channel may include reps), never a
rep's name or numbers, with a link to the full report when COACHING_REVIEW_BASE_URL says where it is."""

from __future__ import annotations

from typing import Any

from coaching_pipeline.reviews.formatting import dimension, score, share
from coaching_pipeline.reviews.models import TeamReview
from coaching_pipeline.reviews.render import DISCLAIMER


def team_summary_blocks(review: TeamReview, report_url: str | None, *, emailed: bool) -> dict[str, Any]:
    """The webhook payload: header, coverage, each dimension's median and spread, cost, link, provenance."""
    title = f"Weekly team review: {review.manager.name}'s team, {review.week.label}"
    coverage = review.coverage
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{len(review.reps)} reps* had calls; *{coverage.analysed}* of *{coverage.recorded}* "
                f"recorded calls analysed ({share(coverage.share)}).",
            },
        },
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": f"*{dimension(d.dimension)}*\nmedian {score(d.median_score)}, "
                    f"middle half {score(d.p25_score)}-{score(d.p75_score)} ({d.call_count} calls)",
                }
                for d in review.distributions[:10]
            ],
        },
    ]
    if review.cost:
        cost = review.cost
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Analysis cost this week (all teams): *${cost.cost_usd:.2f}*, "
                    f"cache hit rate {share(cost.cache_hit_rate)}.",
                },
            }
        )
    if report_url:
        link = f"<{report_url}|Open the full report>"
    elif emailed:
        link = f"The full report goes to {review.manager.name} by email."
    else:
        link = "The full report is written with the other reviews of the week."
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": link}})
    versions = ", ".join(f"{dimension(k)} {v}" for k, v in sorted(review.provenance.rubric_versions.items()))
    models = ", ".join(review.provenance.models)
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"{DISCLAIMER} Rubrics: {versions}. Model: {models}."}],
        }
    )
    return {"text": title, "blocks": blocks}
