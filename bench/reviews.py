"""Render every weekly review of the demo company for one week: each rep's and each manager's, as HTML.

Builds the demo company in a scratch database (the bundled sample tenant through the sensor, transcripts,
offline analyses and dbt marts, as `make demo` does; a minute or two) unless --url names a warehouse that
holds it (e.g. `coaching db url` after `make demo`). Then renders, through the public API
(render_rep_review / render_team_review: marts queries, charts, templates), every rep with scored calls in
the week and every manager of theirs, --repeats times with the chart cache cleared, and reports the median
pass and the median review. Target: a pass under 10 s on 2 cores. Last line: one JSON object.

    .venv/bin/python bench/reviews.py [--url URL] [--week 2026-W47] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coaching_pipeline.reviews import charts, queries  # noqa: E402
from coaching_pipeline.reviews.lookup import latest_complete_week  # noqa: E402
from coaching_pipeline.reviews.render import ReportFormat, render_rep_review, render_team_review  # noqa: E402
from coaching_pipeline.reviews.weeks import parse_week, week_label  # noqa: E402
from coaching_pipeline.settings import get_settings  # noqa: E402
from coaching_pipeline.warehouse.db import connect  # noqa: E402

TARGET_SECONDS = 10.0


@contextmanager
def demo_company() -> Iterator[str]:
    """A scratch warehouse holding the sample tenant's quarter, built like `make demo` builds it."""
    from coaching_pipeline.runner.backfill import run_pipeline
    from coaching_sandbox.simulators.sample import sample_gong_environment
    from coaching_sandbox.warehouse.scratch import scratch_database

    with scratch_database("reviews") as url, tempfile.TemporaryDirectory(prefix="reviews-bench-") as home:
        os.environ.update({"DATABASE_URL": url, "COACHING_HOME": home})
        get_settings.cache_clear()
        with sample_gong_environment():
            run_pipeline(None, None, poll=True, echo=lambda line: None)
        yield url


def subjects(url: str, week: date) -> tuple[list[str], list[str]]:
    with connect(url) as conn:
        rows = queries.rows(conn, "week_subjects", week_start=week)
    return [r["rep_user_id"] for r in rows], sorted({r["manager_user_id"] for r in rows if r["manager_user_id"]})


def one_pass(url: str, week: date, reps: list[str], managers: list[str]) -> list[float]:
    charts.clear_cache()
    timings = []
    for rep in reps:
        started = time.perf_counter()
        render_rep_review(url, rep, week, ReportFormat.HTML)
        timings.append(time.perf_counter() - started)
    for manager in managers:
        started = time.perf_counter()
        render_team_review(url, manager, week, ReportFormat.HTML)
        timings.append(time.perf_counter() - started)
    return timings


def measure(url: str, week_text: str | None, repeats: int) -> dict[str, object]:
    week = parse_week(week_text) if week_text else latest_complete_week(url, datetime.now(UTC).date())
    reps, managers = subjects(url, week)
    one_pass(url, week, reps[:1], managers[:1])  # warm-up: imports, fonts, connections
    passes = [one_pass(url, week, reps, managers) for _ in range(repeats)]
    totals = [sum(p) for p in passes]
    return {
        "week": week_label(week),
        "rep_reviews": len(reps),
        "team_reviews": len(managers),
        "reviews_rendered": len(reps) + len(managers),
        "seconds": round(statistics.median(totals), 3),
        "median_seconds_per_review": round(statistics.median(t for p in passes for t in p), 4),
        "repeats": repeats,
        "target_seconds": TARGET_SECONDS,
        "within_target": statistics.median(totals) < TARGET_SECONDS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a warehouse that holds the demo company (default: build one)")
    parser.add_argument("--week", help="ISO week to render (default: the latest complete week with calls)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.url:
        result = measure(args.url, args.week, args.repeats)
    else:
        with demo_company() as url:
            result = measure(url, args.week, args.repeats)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
