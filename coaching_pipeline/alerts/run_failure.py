"""A failed Dagster run as a Slack message: the job, its partitions, the failing step, the error and a link."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from coaching_pipeline.alerts.scrub import scrub

MAX_ERROR_CHARS = 500


class FailedStep(BaseModel):
    step_key: str
    error: str


class RunFailure(BaseModel):
    """What an operator needs to act on a failed run, without Dagster's types."""

    run_id: str
    job_name: str
    partitions: str | None = None
    steps: list[FailedStep] = []
    run_error: str = ""


def error_cause(error: Any) -> Any:
    """Dagster wraps a step's exception ("Error occurred while executing op ..."); its innermost cause says
    what failed. Takes Dagster's error info (or None) and returns the innermost one."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    return error


def cause_message(error: Any) -> str:
    """The user's exception (`RuntimeError: ...`), not the wrapper; "" without an error."""
    return str(getattr(error_cause(error), "message", "")).strip()


def alert_key(run_id: str) -> str:
    return f"alert:run_failed:{run_id}"


def run_url(ui_url: str, run_id: str) -> str:
    return f"{ui_url.rstrip('/')}/runs/{run_id}"


def run_failure_payload(failure: RunFailure, ui_url: str, secrets: list[str]) -> dict[str, Any]:
    """Block Kit payload; every error text is scrubbed of secrets and cut to MAX_ERROR_CHARS."""
    title = f"Pipeline run failed: {failure.job_name}"
    partitions = failure.partitions or "none (unpartitioned)"
    if failure.steps:
        step, others = failure.steps[0], len(failure.steps) - 1
        where = f"*Failing step:* `{step.step_key}`" + (f" (and {others} more)" if others else "")
        error = step.error
    else:
        where, error = "*Failing step:* none (the run failed outside a step)", failure.run_error
    error = scrub(error, secrets).strip()[:MAX_ERROR_CHARS] or "no error message"
    link = run_url(ui_url, failure.run_id)
    text = f"{title} (partitions {partitions}). {where.replace('*', '')}. Error: {error.splitlines()[0]} {link}"
    return {
        "text": text[:3000],
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*Job:* `{failure.job_name}`\n*Partitions:* {partitions}\n{where}"},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": f"```{error}```"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"<{link}|Open run {failure.run_id[:8]} in Dagster>"},
            },
        ],
    }
