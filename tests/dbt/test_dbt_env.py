"""dbt's profile variables come from the warehouse URL."""

from __future__ import annotations

import psycopg
import pytest

from coaching_pipeline.warehouse.dbt_env import PLANNER_OPTIONS, dbt_env, planner_options


def test_dbt_env_uses_socket_directory_as_host() -> None:
    env = dbt_env("postgresql://postgres:@/coaching?host=/var/run/pg&port=5433")
    assert (env["COACHING_PG_HOST"], env["COACHING_PG_PORT"]) == ("/var/run/pg", "5433")
    assert env["COACHING_PG_DATABASE"] == "coaching"


def test_dbt_env_decodes_credentials_of_driver_urls() -> None:
    env = dbt_env("postgresql+psycopg2://analyst:p%40ss@db.internal:6543/warehouse")
    assert env["COACHING_PG_USER"] == "analyst"
    assert env["COACHING_PG_PASSWORD"] == "p@ss"
    assert (env["COACHING_PG_HOST"], env["COACHING_PG_PORT"]) == ("db.internal", "6543")


def test_dbt_sessions_price_random_reads_for_cached_storage(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.delenv("PGOPTIONS", raising=False)
    monkeypatch.setenv("PGOPTIONS", dbt_env(database_url)["PGOPTIONS"])
    with psycopg.connect(database_url) as conn:
        assert conn.execute("show random_page_cost").fetchone() == ("1.1",)


def test_planner_options_keep_the_operators_own() -> None:
    assert planner_options(None) == PLANNER_OPTIONS
    assert planner_options("-c statement_timeout=60000") == f"-c statement_timeout=60000 {PLANNER_OPTIONS}"
    assert planner_options("-c random_page_cost=2") == "-c random_page_cost=2"
