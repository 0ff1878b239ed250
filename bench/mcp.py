"""MCP tool latency on a synthetic warehouse of 100,000 calls: p50 and p95 of get_rep_insights, search_calls
(full text), get_coaching_plan and a cached analyze_call, each called through the in-memory FastMCP client as a
manager (scope filter and audit row included). Marts are built with `dbt build`, as the assets run it.
Target: p95 under 50 ms each. Last line: one JSON object.

    .venv/bin/python bench/mcp.py [--calls 100000] [--repeats 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import psycopg

# The repo root instead of bench/, whose name (mcp.py) would shadow the `mcp` package FastMCP imports.
sys.path[0] = str(Path(__file__).resolve().parents[1])
os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

from fastmcp import Client  # noqa: E402

from coaching_pipeline.defs.dbt_project import prepare_manifest  # noqa: E402
from coaching_sandbox.warehouse.dbt_cli import run_dbt_command  # noqa: E402
from coaching_sandbox.warehouse.loading import seed_warehouse  # noqa: E402
from coaching_sandbox.warehouse.scratch import scratch_database  # noqa: E402
from coaching_sandbox.warehouse.synthetic import SyntheticSpec  # noqa: E402

prepare_manifest()  # the MCP app loads the code location, which reads the dbt manifest of a fresh checkout

from mcp_app.server import create_app  # noqa: E402
from mcp_app.services.context import AppContext  # noqa: E402

TARGET_P95_MS = 50.0
DAYS = 400
MANAGER = "u-mgr-0@example.com"
REP = "u-0-1@example.com"


def seed(url: str, calls: int) -> float:
    spec = SyntheticSpec(
        start_date=date(2025, 8, 4),
        days=DAYS,
        calls_per_day=max(1, calls // DAYS),
        teams=tuple(f"Team {n}" for n in range(8)),
        reps_per_team=15,
        discovery_v2_from=None,
        transcript_text=True,
    )
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        seed_warehouse(conn, spec)
    # Statistics first, as autovacuum would have them on a live warehouse: without them the planner picks
    # nested loops over the freshly loaded raw tables and the build takes many minutes at 100,000 calls.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum analyze")
    with tempfile.TemporaryDirectory(prefix="dbt-bench-mcp-") as target:
        run_dbt_command(url, Path(target), ["build", "--exclude", "resource_type:test", "resource_type:unit_test"])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum analyze")
    return time.perf_counter() - started


async def measure(url: str, repeats: int) -> dict[str, dict[str, float]]:
    app = create_app(AppContext(url=url), stdio_email=MANAGER)
    with psycopg.connect(url) as conn:
        call_id = conn.execute(
            "select call_id from marts.call_scores where rep_user_id = 'u-0-1' order by call_date desc limit 1"
        ).fetchone()[0]
    calls = {
        "get_rep_insights": {"rep": REP},
        "search_calls": {"query": "price budget", "limit": 20},
        "get_coaching_plan": {"rep": REP},
        "analyze_call": {"call_id": call_id},
    }
    figures = {}
    async with Client(app) as client:
        for tool, arguments in calls.items():
            await client.call_tool(tool, arguments)  # warm-up: caches, first plan
            seconds = []
            for _ in range(repeats):
                started = time.perf_counter()
                await client.call_tool(tool, arguments)
                seconds.append((time.perf_counter() - started) * 1000)
            seconds.sort()
            figures[tool] = {
                "p50_ms": round(statistics.median(seconds), 2),
                "p95_ms": round(seconds[int(0.95 * (len(seconds) - 1))], 2),
            }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=200)
    options = parser.parse_args()
    with scratch_database("bench_mcp") as url:
        seed_seconds = seed(url, options.calls)
        with psycopg.connect(url) as conn:
            calls = conn.execute("select count(*) from raw.calls").fetchone()[0]
        print(f"seeded and built {calls} calls in {seed_seconds:.0f} s")
        figures = asyncio.run(measure(url, options.repeats))
    for tool, f in figures.items():
        print(f"{tool}: p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms")
    report = {
        "benchmark": "mcp",
        "calls": calls,
        "repeats": options.repeats,
        "tools": figures,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": all(f["p95_ms"] < TARGET_P95_MS for f in figures.values()),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
