"""The environment dbt's profile reads (COACHING_PG_*), derived from the warehouse URL, and the planner
settings dbt's sessions start with (PGOPTIONS)."""

from __future__ import annotations

import os
import shlex

from coaching_pipeline.warehouse.db import database_url, normalize_url, parse_url

# Postgres' default random_page_cost (4) prices a random read as a spinning disk's. The marts' working set
# is cached or on SSD, where 1.1 is the usual setting: with 4, a day's marts joined their few hundred
# calls to raw.calls by a hash join over a full scan rather than a primary-key probe each, and a full build
# took 14-17 s instead of 12 s (100k calls). libpq applies PGOPTIONS when each of dbt's connections opens;
# a PGOPTIONS that already sets random_page_cost wins.
PLANNER_OPTIONS = "-c random_page_cost=1.1"


def planner_options(existing: str | None) -> str:
    """PGOPTIONS for dbt: `existing` plus PLANNER_OPTIONS, unless `existing` sets random_page_cost itself."""
    if existing and "random_page_cost" in existing:
        return existing
    return f"{existing} {PLANNER_OPTIONS}" if existing else PLANNER_OPTIONS


def dbt_env(url: str) -> dict[str, str]:
    """Profile variables for dbt_project/profiles.yml. A `?host=<socket dir>` URL yields that directory as
    the host, which dbt-postgres accepts, so the embedded server works over its Unix socket."""
    parts = parse_url(normalize_url(url))
    return {
        "COACHING_PG_HOST": parts.host,
        "COACHING_PG_PORT": str(parts.port),
        "COACHING_PG_USER": parts.user,
        "COACHING_PG_PASSWORD": parts.password,
        "COACHING_PG_DATABASE": parts.dbname,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PGOPTIONS": planner_options(os.environ.get("PGOPTIONS")),
    }


def main() -> None:
    """Print `export` lines so a shell (a manual dbt build, sqlfluff's dbt templater) reaches the warehouse:
    eval "$(.venv/bin/python -m coaching_pipeline.warehouse.dbt_env)"."""
    for name, value in dbt_env(database_url()).items():
        print(f"export {name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
