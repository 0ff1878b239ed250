"""Every table dbt builds has an enforced contract whose constraints back the data tests partition runs skip."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dbt_common.events.base_types import EventMsg
from psycopg import errors

from coaching_pipeline.defs.dbt import partition_build_args
from coaching_pipeline.defs.dbt_constraints import (
    CONSTRAINT_BACKED_TESTS,
    ContractConstraints,
    missing_constraints,
    table_contracts,
)
from tests.dbt.dbt_runs import run_dbt

Node = dict[str, Any]
MATERIALIZED_TABLES = ("table", "incremental")


@pytest.fixture(scope="module")
def manifest(marts_url: str, dbt_target: Path) -> Node:
    """The manifest the session's `dbt build` wrote (marts_url runs it)."""
    return json.loads((dbt_target / "manifest.json").read_text(encoding="utf-8"))


def _constraints(model: Node) -> Iterator[tuple[str, list[str], str]]:
    """(type, columns, expression) of the model's constraints, model-level and column-level alike."""
    for constraint in model["constraints"]:
        yield constraint["type"], constraint["columns"], constraint["expression"] or ""
    for name, column in model["columns"].items():
        for constraint in column["constraints"]:
            yield constraint["type"], [name], constraint["expression"] or ""


def _not_null_columns(model: Node) -> set[str]:
    return {
        column for kind, columns, _ in _constraints(model) if kind in ("not_null", "primary_key") for column in columns
    }


def _unique_keys(model: Node) -> list[set[str]]:
    """Column sets no two rows share. A unique constraint counts only where nulls cannot slip past it (the
    tests group nulls together): every column not null, or `nulls not distinct`."""
    not_null = _not_null_columns(model)
    return [
        set(columns)
        for kind, columns, expression in _constraints(model)
        if kind == "primary_key"
        or (kind == "unique" and (set(columns) <= not_null or "nulls not distinct" in expression.lower()))
    ]


def _rule_terms(kind: str, column: str, kwargs: Node) -> list[str]:
    """Patterns a check constraint must all contain to state the test's rule: the column with each value of
    accepted_values, or each bound of accepted_range (`x >= 1`; `x > 1` when not inclusive)."""
    name = re.escape(column)
    if kind == "accepted_values":
        return [rf"\b{name}\b", *(f"'{re.escape(str(value))}'" for value in kwargs["values"])]
    equal = "" if kwargs.get("inclusive") is False else "="
    return [
        rf"\b{name}\s*{operator}{equal}\s*{re.escape(str(kwargs[bound]))}(?![\w.])"
        for bound, operator in (("min_value", ">"), ("max_value", "<"))
        if kwargs.get(bound) is not None
    ]


def _unbacked(test: Node, model: Node) -> str | None:
    """Why the model's constraints do not guarantee the test, or None when they do."""
    kind, kwargs, column = test["test_metadata"]["name"], test["test_metadata"]["kwargs"], test["column_name"]
    if model["config"]["materialized"] not in MATERIALIZED_TABLES:
        return f"is a {model['config']['materialized']}, which holds no constraints"
    if not model["config"]["contract"]["enforced"]:
        return "has no enforced contract"
    if str(test["config"]["severity"]).lower() != "error":
        return "has a warn-severity test, which a constraint would turn into an error"
    if kind == "not_null":
        return None if column in _not_null_columns(model) else f"has no not_null constraint on {column}"
    if kind in ("unique", "unique_combination_of_columns"):
        key = {column} if kind == "unique" else set(kwargs["combination_of_columns"])
        return None if key in _unique_keys(model) else f"has no primary key or unique constraint on {sorted(key)}"
    terms = _rule_terms(kind, column, kwargs)
    checks = [expression for constraint, _, expression in _constraints(model) if constraint == "check"]
    if any(all(re.search(term, check) for term in terms) for check in checks):
        return None
    return f"has no check constraint stating {kind} on {column}"


def test_contracts_back_every_constraint_backed_test(manifest: Node) -> None:
    """Partition runs skip these test kinds (dbt_constraints), so Postgres must enforce each one."""
    problems = []
    for test in manifest["nodes"].values():
        if (
            test["resource_type"] != "test"
            or (test.get("test_metadata") or {}).get("name") not in CONSTRAINT_BACKED_TESTS
        ):
            continue
        model = manifest["nodes"][test["attached_node"]]
        if model["config"]["materialized"] == "ephemeral":
            continue
        reason = _unbacked(test, model)
        if reason:
            problems.append(f"{test['name']}: {model['name']} {reason}")
    assert problems == []


def test_contracts_are_enforced_on_every_table(manifest: Node) -> None:
    unenforced = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] in MATERIALIZED_TABLES
        and not node["config"]["contract"]["enforced"]
    ]
    assert unenforced == []


BROKEN_ROWS = [
    pytest.param(
        "marts.call_scores", "call_id = 'contract-test', overall_score = 7", 1, errors.CheckViolation, id="range"
    ),
    pytest.param("marts.reps", "user_id = 'contract-test', user_role = 'CEO'", 1, errors.CheckViolation, id="value"),
    pytest.param("marts.call_scores", "", 1, errors.UniqueViolation, id="primary-key"),
    pytest.param(
        "marts.call_scores", "call_id = 'contract-test', rep_user_id = null", 1, errors.NotNullViolation, id="null"
    ),
    pytest.param(
        "marts.rep_daily_coverage",
        "rep_user_id = 'contract-test', analysed_call_count = analysed_call_count + 1",
        1,
        errors.CheckViolation,
        id="statuses-add-up",
    ),
    # Activity tied to no call has a null call_date: one row per day all the same (nulls not distinct).
    pytest.param(
        "intermediate.int_llm_activity_by_call_date", "call_date = null", 2, errors.UniqueViolation, id="null-key"
    ),
]


@pytest.mark.parametrize(("table", "changes", "copies", "violation"), BROKEN_ROWS)
def test_contracts_reject_rows_that_break_a_rule(
    marts_db: psycopg.Connection, table: str, changes: str, copies: int, violation: type[errors.IntegrityError]
) -> None:
    """Copies of a built row, changed to break one rule, are refused; the transaction rolls back regardless,
    so the shared warehouse never keeps a test row."""
    with pytest.raises(violation), marts_db.transaction(force_rollback=True):
        marts_db.execute(f"create temporary table candidate on commit drop as select * from {table} limit 1")
        if changes:
            marts_db.execute(f"update candidate set {changes}")
        for _ in range(copies):
            marts_db.execute(f"insert into {table} select * from candidate")


def test_built_warehouse_holds_every_table_contract(manifest: Node, marts_url: str) -> None:
    contracts = table_contracts(manifest)
    assert {"marts.call_scores", "marts.rep_benchmarks"} <= {contract.relation for contract in contracts}
    assert missing_constraints(marts_url, contracts) == []
    assert "test_name:not_null" in excluded(partition_build_args(marts_url, manifest))


def excluded(args: list[str]) -> set[str]:
    """The dbt selectors that `--exclude` options of `args` name."""
    pairs = zip(args, args[1:], strict=False)
    return {selector for flag, value in pairs if flag == "--exclude" for selector in value.split()}


@pytest.fixture
def table_without_constraints(marts_db: psycopg.Connection) -> Iterator[str]:
    """A table as an incremental model built before its contract left it: columns, no constraints."""
    marts_db.execute("create table public.contract_probe (call_id text, score numeric)")
    yield "public.contract_probe"
    marts_db.execute("drop table public.contract_probe")


def test_missing_constraints_names_what_an_older_table_lacks(marts_url: str, table_without_constraints: str) -> None:
    contract = ContractConstraints(
        relation=table_without_constraints,
        checks=frozenset({"contract_probe_score_range"}),
        has_key=True,
        not_null=frozenset({"call_id"}),
    )
    assert missing_constraints(marts_url, [contract]) == [
        "public.contract_probe: check contract_probe_score_range",
        "public.contract_probe: not null call_id",
        "public.contract_probe: primary key",
    ]


def test_partition_run_keeps_every_test_until_the_constraints_exist(
    marts_url: str, table_without_constraints: str, caplog: pytest.LogCaptureFixture
) -> None:
    schema, alias = table_without_constraints.split(".")
    model = {
        "resource_type": "model",
        "config": {"materialized": "incremental", "contract": {"enforced": True}},
        "constraints": [{"type": "primary_key", "columns": ["call_id"]}],
        "columns": {},
        "schema": schema,
        "alias": alias,
    }
    args = partition_build_args(marts_url, {"nodes": {"model.coaching.contract_probe": model}}, logging.getLogger())
    assert not {selector for selector in excluded(args) if selector.startswith("test_name:")}
    assert "full refresh" in caplog.text
    assert "public.contract_probe: primary key" in caplog.text


def test_contract_checks_log_no_warnings(marts_url: str, dbt_target: Path) -> None:
    """Postgres' bare numeric is exact, so dbt's rounding warning for it is silenced (macros/empty_schema.sql)."""
    warnings: list[str] = []

    def on_event(message: EventMsg) -> None:
        if message.info.level == "warn":
            warnings.append(message.info.msg)

    run_dbt(marts_url, dbt_target, "run", "--select", "rep_benchmarks", callbacks=[on_event])
    assert warnings == []
