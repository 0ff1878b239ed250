"""Postgres bytes per call: the sample corpus through the code location's own jobs (offline analyses, dbt marts)
into a throwaway database, then every table's total size (heap, indexes, TOAST) divided by the calls stored.

The offline analyzer writes the same rows as Claude (four analyses per call with evidence quotes) but no
`coaching.llm_requests` ledger rows; docs/scaling.md adds those from a Claude run. Last line: one JSON object.

    .venv/bin/python bench/storage.py [--from 2026-08-03 --to 2026-08-16]
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date

SIZES = """
select n.nspname || '.' || c.relname as name, pg_total_relation_size(c.oid) as bytes
from pg_class as c
join pg_namespace as n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'm') and n.nspname in ('raw', 'coaching', 'marts', 'mcp', 'analytics', 'dagster')
order by bytes desc
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", type=date.fromisoformat, default=date(2026, 8, 3))
    parser.add_argument("--to", dest="last", type=date.fromisoformat, default=date(2026, 8, 16))
    args = parser.parse_args()

    import dagster as dg

    from coaching_pipeline.warehouse.db import connect
    from coaching_sandbox.simulators.sample import sample_gong_environment
    from coaching_sandbox.warehouse.scratch import scratch_database

    with scratch_database("bench_storage") as url, sample_gong_environment():
        os.environ["DATABASE_URL"] = url
        from coaching_pipeline.definitions import defs
        from coaching_pipeline.runner.runs import run_range, run_reference_data
        from coaching_pipeline.settings import get_settings

        get_settings.cache_clear()
        instance = dg.DagsterInstance.ephemeral()
        run_reference_data(defs, instance, quiet=True)
        run_range(defs, instance, args.first, args.last, quiet=True)
        with connect(url) as conn:
            calls = conn.execute("select count(*) as n from raw.transcripts").fetchone()["n"]
            sizes = {row["name"]: int(row["bytes"]) for row in conn.execute(SIZES)}
    per_call = {name: round(size / calls) for name, size in sizes.items() if size >= 64 * 1024}
    for name, value in per_call.items():
        print(f"{name:45} {value:>9,} bytes per call {value * 1_000_000 / 1e9:8.1f} GB per million calls")
    total = round(sum(sizes.values()) / calls)
    print(json.dumps({"calls_with_transcript": calls, "bytes_per_call": per_call, "total_bytes_per_call": total}))


if __name__ == "__main__":
    main()
