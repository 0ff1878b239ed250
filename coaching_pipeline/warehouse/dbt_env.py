"""The environment dbt's profile reads (COACHING_PG_*), derived from the warehouse URL."""

from __future__ import annotations

import shlex

from coaching_pipeline.warehouse.db import database_url, normalize_url, parse_url


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
    }


def main() -> None:
    """Print `export` lines so a shell (a manual dbt build, sqlfluff's dbt templater) reaches the warehouse:
    eval "$(.venv/bin/python -m coaching_pipeline.warehouse.dbt_env)"."""
    for name, value in dbt_env(database_url()).items():
        print(f"export {name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
