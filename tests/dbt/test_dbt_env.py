"""dbt's profile variables come from the warehouse URL."""

from __future__ import annotations

from coaching_pipeline.warehouse.dbt_env import dbt_env


def test_dbt_env_uses_socket_directory_as_host() -> None:
    env = dbt_env("postgresql://postgres:@/coaching?host=/var/run/pg&port=5433")
    assert (env["COACHING_PG_HOST"], env["COACHING_PG_PORT"]) == ("/var/run/pg", "5433")
    assert env["COACHING_PG_DATABASE"] == "coaching"


def test_dbt_env_decodes_credentials_of_driver_urls() -> None:
    env = dbt_env("postgresql+psycopg2://analyst:p%40ss@db.internal:6543/warehouse")
    assert env["COACHING_PG_USER"] == "analyst"
    assert env["COACHING_PG_PASSWORD"] == "p@ss"
    assert (env["COACHING_PG_HOST"], env["COACHING_PG_PORT"]) == ("db.internal", "6543")
