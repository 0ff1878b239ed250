"""The fast CTE injection produces exactly what dbt's sqlparse-based injection does, model by model."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt import compilation
from dbt.cli.main import dbtRunner
from dbt.contracts.graph.nodes import InjectedCTE

from coaching_pipeline.defs import dbt_cte_injection
from coaching_pipeline.defs.dbt import DBT_PROJECT_DIR
from coaching_pipeline.warehouse.dbt_env import dbt_env

CTES = [
    InjectedCTE(id="model.x.a", sql=" __dbt__cte__a as (\nselect 1 as one\n)"),
    InjectedCTE(id="model.x.b", sql=" __dbt__cte__b as (select 2 as two)"),
]

SQL = [
    "with x as (select 1) select * from x",
    "\n\n-- depends_on: {{ ref('a') }}\n\nwith\n\nx as (select 1)\nselect * from x",
    "/* header */ WITH RECURSIVE t(n) as (select 1) select * from t",
    "with recursive_rows as (select 1) select 1",
    "with /* note */ recursive t as (select 1) select 1",
    "With\tx as (select 1) select 1",
    "with\r\n x as (select 1) select 1",
    "with -- trailing comment\n x as (select 1) select 1",
    "--c\r\nwith x as (select 1) select 1",
    "with",
    "with recursive",
    "select 1",
    "  -- a comment only\nselect 1",
    "/* a */ select 1 /* b */ with",
    "withx as (select 1) select 1",
    "/* unterminated with",
]


@pytest.mark.parametrize("sql", SQL)
def test_injection_matches_dbt(sql: str) -> None:
    assert dbt_cte_injection.inject_ctes_into_sql(sql, CTES) == dbt_cte_injection.dbt_inject_ctes_into_sql(sql, CTES)


def test_injection_without_ctes_returns_the_sql() -> None:
    assert dbt_cte_injection.inject_ctes_into_sql("select 1", []) == "select 1"


def test_injection_point_of_a_long_miss_is_found_in_one_pass() -> None:
    """No backtracking into the leading whitespace and comments (exponential time would hang this test)."""
    leading = " \n" * 20_000 + "/* x */ -- y\n" * 2_000
    assert dbt_cte_injection.injection_point(leading + "select 1") is None
    assert dbt_cte_injection.injection_point(leading + "with x as (select 1) select 1") == len(leading) + 5


def test_install_makes_dbt_compile_with_the_fast_injection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compilation, "inject_ctes_into_sql", dbt_cte_injection.dbt_inject_ctes_into_sql)
    dbt_cte_injection.install()
    assert compilation.inject_ctes_into_sql is dbt_cte_injection.inject_ctes_into_sql


def test_every_model_compiles_to_what_dbt_would_inject(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    differing: list[str] = []

    def both(sql: str, ctes: list[InjectedCTE]) -> str:
        expected = dbt_cte_injection.dbt_inject_ctes_into_sql(sql, ctes)
        checked.append(sql)
        if dbt_cte_injection.inject_ctes_into_sql(sql, ctes) != expected:
            differing.append(sql)
        return expected

    monkeypatch.setattr(compilation, "inject_ctes_into_sql", both)
    for name, value in dbt_env(database_url).items():
        monkeypatch.setenv(name, value)
    project = str(DBT_PROJECT_DIR)
    result = dbtRunner().invoke(
        ["compile", "--project-dir", project, "--profiles-dir", project, "--target-path", str(tmp_path)]
        + ["--log-path", str(tmp_path), "--no-version-check", "--quiet"]
    )
    assert result.success, result.exception
    assert len(checked) >= 10
    assert differing == []
