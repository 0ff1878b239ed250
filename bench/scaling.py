"""Projection for a company's call volume: Gong requests a day against the daily budget, and Claude dollars a
month, from the pipeline's own request pattern and the measured cost per call (docs/scaling.md).

The request model follows the code: the sensor ticks every POLL_INTERVAL_SECONDS and lists its window (the
new span plus a 6-hour overlap, 100 calls a page) and probes pending transcripts (one request per 100); each
run of a day's partition lists that whole day, then fetches extensive data and transcripts for the calls
without a stored transcript, i.e. the run's new calls (100 ids a request each, `ingestion/transcripts.py`).
Until 2026-12-05 each run fetched every call of the day so far; the `..._before_2026_12_05` figures show that
release.
Calls arrive evenly over the working day.
Last line: one JSON object.

    .venv/bin/python bench/scaling.py [--calls-per-day 2000] [--workday-hours 10]
        [--sync-usd-per-call 0.04654] [--batch-usd-per-call 0.02984]
"""

from __future__ import annotations

import argparse
import json
import math

PAGE = 100  # calls per listing page, ids per extensive/transcript request
TICK_SECONDS = 300  # gong_calls_sensor's minimum interval
OVERLAP_HOURS = 6  # the sensor re-lists this much of the past (late listings)
DAILY_BUDGET = 10_000  # Gong's default per company
USER_PAGES_PER_REP = 1 / PAGE  # reference_data_job lists users once a day
DAYS_PER_MONTH = 30.4


def sensor_requests(calls_per_day: int, workday_hours: float) -> int:
    """Listing pages and pending-transcript probes of every tick in a day."""
    ticks = 24 * 3600 // TICK_SECONDS
    per_hour = calls_per_day / workday_hours
    total = 0
    for tick in range(ticks):
        hour = tick * TICK_SECONDS / 3600
        listed = per_hour * max(0.0, min(hour, workday_hours) - max(0.0, hour - OVERLAP_HOURS - TICK_SECONDS / 3600))
        total += max(1, math.ceil(listed / PAGE)) + 1  # the window's pages (an empty one is one request), a probe
    return total


def run_requests(calls_per_day: int, workday_hours: float, *, per_run_calls_only: bool) -> int:
    """Requests of the sensor's runs: one per tick with new calls, each fetching only its new calls
    (`per_run_calls_only`, as shipped) or every call of the day so far (the release before 2026-12-05)."""
    runs = int(workday_hours * 3600 // TICK_SECONDS)
    new_per_run = calls_per_day / runs
    total = 0
    for run in range(1, runs + 1):
        so_far = new_per_run * run
        fetched = new_per_run if per_run_calls_only else so_far
        total += math.ceil(so_far / PAGE) + 2 * math.ceil(fetched / PAGE)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls-per-day", type=int, default=2_000)
    parser.add_argument("--workday-hours", type=float, default=10.0)
    parser.add_argument("--reps", type=int, default=1_000)
    parser.add_argument("--sync-usd-per-call", type=float, default=0.04654, help="bench/cost.py (b)")
    parser.add_argument("--batch-usd-per-call", type=float, default=0.02984, help="bench/cost.py (c)")
    args = parser.parse_args()

    sensor = sensor_requests(args.calls_per_day, args.workday_hours)
    users = math.ceil(args.reps * USER_PAGES_PER_REP) + 1
    shipped = sensor + users + run_requests(args.calls_per_day, args.workday_hours, per_run_calls_only=True)
    before = sensor + users + run_requests(args.calls_per_day, args.workday_hours, per_run_calls_only=False)
    year_calls = args.calls_per_day * 350
    backfill_requests = math.ceil(year_calls / PAGE) * 3
    month_calls = args.calls_per_day * DAYS_PER_MONTH
    figures = {
        "calls_per_day": args.calls_per_day,
        "gong_requests_per_day_sensor": sensor,
        "gong_requests_per_day_as_shipped": shipped,
        "gong_budget_share_as_shipped": round(shipped / DAILY_BUDGET, 3),
        "gong_requests_per_day_refetching_the_day_before_2026_12_05": before,
        "gong_budget_share_refetching_the_day_before_2026_12_05": round(before / DAILY_BUDGET, 3),
        "year_backfill_calls": year_calls,
        "year_backfill_gong_requests": backfill_requests,
        "year_backfill_days_of_budget": round(backfill_requests / DAILY_BUDGET, 2),
        "claude_usd_per_month_sync": round(month_calls * args.sync_usd_per_call),
        "claude_usd_per_month_batch": round(month_calls * args.batch_usd_per_call),
        "claude_usd_year_backfill_batch": round(year_calls * args.batch_usd_per_call),
    }
    for key, value in figures.items():
        print(f"{key:45} {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
