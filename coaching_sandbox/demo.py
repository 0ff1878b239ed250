"""`make demo` (`coaching demo`): the whole pipeline on the bundled sample tenant, a short report, and the
latest complete week's reviews written as HTML.

The sample tenant is the Gong simulator serving the sample corpus on a loopback port; the pipeline gets its
URL and key pair through GONG_*, like any real tenant, and knows nothing of the sandbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from coaching_pipeline.reviews.lookup import latest_complete_week
from coaching_pipeline.reviews.render import ReportFormat
from coaching_pipeline.reviews.warehouse_summary import demo_summary
from coaching_pipeline.reviews.weekly import collect_week, render_week, write_reports
from coaching_pipeline.reviews.weeks import week_label
from coaching_pipeline.runner import environment
from coaching_pipeline.runner.backfill import run_pipeline
from coaching_pipeline.settings import get_settings
from coaching_sandbox.simulators.sample import sample_gong_environment


def run_demo(echo: Callable[[str], None] = print, *, verbose: bool = False) -> None:
    started = time.monotonic()
    settings = get_settings()
    url = environment.prepare_environment()
    where = "DATABASE_URL" if settings.database_url else f"embedded PostgreSQL under {settings.coaching_home}"
    echo(f"Warehouse: {where}")
    echo(
        "Analyzer: "
        + (
            f"Claude ({settings.coaching_model})"
            if settings.claude_configured
            else "offline-heuristic-v1, deterministic and offline (set ANTHROPIC_API_KEY for Claude)"
        )
    )
    if settings.gong_configured:
        echo("Gong: GONG_BASE_URL")
        run_pipeline(None, None, poll=True, echo=echo, verbose=verbose)
    else:
        with sample_gong_environment() as gong:
            echo(f"Gong: the bundled sample tenant, served at {gong['GONG_BASE_URL']} (set GONG_* for yours)")
            run_pipeline(None, None, poll=True, echo=echo, verbose=verbose)
    echo("")
    for line in demo_summary(url):
        echo(line)
    echo("")
    write_latest_reviews(url, settings.coaching_home / "reviews", echo)
    echo("")
    echo(f"Done in {time.monotonic() - started:.0f} s. Next:")
    echo("  Dagster UI (sensor, assets, backfills, run history):  make ui   then open http://127.0.0.1:3000")
    echo("  Backfill a date range from the CLI:  .venv/bin/coaching run --from 2026-08-03 --to 2026-08-09")
    echo("  Ask about calls from Claude Desktop or any MCP client:  docs/mcp.md")
    if settings.database_url:
        echo("  BI tools read the marts as a coaching_bi login: docs/marts.md")
    else:
        echo("  BI tools: .venv/bin/coaching db expose --port 5433  (TCP to the embedded server; docs/marts.md)")
        echo("  Stop the embedded PostgreSQL:  .venv/bin/coaching db stop")


def write_latest_reviews(url: str, root: Path, echo: Callable[[str], None]) -> list[Path]:
    """The latest complete week's rep and team reviews as HTML under root/<week>/, paths printed."""
    week = latest_complete_week(url, datetime.now(UTC).date())
    paths = write_reports(render_week(collect_week(url, week), (ReportFormat.HTML,)), root / week.isoformat())
    echo(f"Weekly reviews of {week_label(week)} (open in a browser; `coaching report --week ...` for others):")
    for path in paths:
        echo(f"  {path}")
    return paths


def demo_command(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Dagster's and dbt's own logs.")] = False,
) -> None:
    """End to end on the bundled sample tenant: embedded Postgres, sensor, transcripts, analyses, marts, report."""
    from coaching_pipeline.cli.errors import KNOWN_ERRORS, exit_code, fail

    try:
        run_demo(echo=typer.echo, verbose=verbose)
    except KNOWN_ERRORS as exc:
        fail(exc, exit_code(exc))
