"""`make demo`: the whole pipeline on the sample corpus, then a short report and where to go next."""

from __future__ import annotations

import time
from collections.abc import Callable

from coaching_pipeline.reviews.summary import demo_summary
from coaching_pipeline.runner import environment as runtime
from coaching_pipeline.runner.backfill import run_pipeline
from coaching_pipeline.settings import get_settings


def run_demo(echo: Callable[[str], None] = print) -> None:
    started = time.monotonic()
    settings = get_settings()
    url = runtime.prepare_environment()
    where = "DATABASE_URL" if settings.database_url else f"embedded PostgreSQL under {settings.coaching_home}"
    echo(f"Warehouse: {where}")
    echo(
        "Gong: "
        + (
            "GONG_BASE_URL"
            if settings.gong_configured
            else "bundled sample corpus served by the local Gong simulator (set GONG_* for a real tenant)"
        )
    )
    echo(
        "Analyzer: "
        + (
            f"Claude ({settings.coaching_model})"
            if settings.claude_configured
            else "offline-heuristic-v1, deterministic and offline (set ANTHROPIC_API_KEY for Claude)"
        )
    )
    run_pipeline(None, None, poll=True, echo=echo)
    echo("")
    for line in demo_summary(url):
        echo(line)
    echo("")
    echo(f"Done in {time.monotonic() - started:.0f} s. Next:")
    echo("  Dagster UI (sensor, assets, backfills, run history):  make ui   then open http://127.0.0.1:3000")
    echo("  Backfill a date range from the CLI:  .venv/bin/coaching run --from 2026-08-03 --to 2026-08-09")
    echo("  BI access to the marts: docs/marts.md")
