"""Every table dbt builds has an enforced contract: Postgres holds its keys, value rules and precision."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dbt_common.events.base_types import EventMsg
from psycopg import errors

from tests.dbt.dbt_runs import run_dbt

Node = dict[str, Any]
MATERIALIZED_TABLES = ("table", "incremental")


@pytest.fixture(scope="module")
def manifest(marts_url: str, dbt_target: Path) -> Node:
    """The manifest the session's `dbt build` wrote (marts_url runs it)."""
    return json.loads((dbt_target / "manifest.json").read_text(encoding="utf-8"))


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


def test_contract_checks_log_no_warnings(marts_url: str, dbt_target: Path) -> None:
    """Every numeric column declares its precision (macros/precision.sql), so dbt's contract check, which warns
    about each bare numeric, has nothing to say."""
    warnings: list[str] = []

    def on_event(message: EventMsg) -> None:
        if message.info.level == "warn":
            warnings.append(message.info.msg)

    run_dbt(marts_url, dbt_target, "run", "--select", "marts", callbacks=[on_event])
    assert warnings == []


SCALES = {"numeric(4,2)": 2, "numeric(5,4)": 4}


def test_mart_numbers_carry_a_bounded_precision(manifest: Node, marts_db: psycopg.Connection) -> None:
    """Scores publish 2 decimals and ratios 4 (docs/marts.md, "Precision"): the built tables' columns say so,
    and no mart column is an unbounded numeric or a float."""
    declared = {
        (node["schema"], node["alias"], name): column["data_type"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
        for name, column in node["columns"].items()
    }
    built = {
        (row[0], row[1], row[2]): (row[3], row[4])
        for row in marts_db.execute(
            """
            select table_schema, table_name, column_name, data_type, numeric_scale
            from information_schema.columns where table_schema = 'marts'
            """
        )
    }
    unbounded = [
        key
        for key, (kind, scale) in built.items()
        if kind == "double precision" or (kind == "numeric" and scale is None)
    ]
    assert unbounded == []
    scored = {key: SCALES[kind] for key, kind in declared.items() if kind in SCALES}
    assert len(scored) >= 20
    assert {key: built[key][1] for key in scored} == scored
