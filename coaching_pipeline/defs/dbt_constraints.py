"""The dbt data tests that Postgres constraints already enforce, so partition runs can leave them out.

Every table the dbt project builds has an enforced model contract: a primary key on its grain, not-null
and check constraints for the rules its not_null, unique and range/accepted-value tests state. Postgres
rejects a breaking row when it is written, so those tests cannot fail after a successful build; running
them on every daily partition cost most of its time (each test is a dbt node with fixed overhead). Full
builds and CI still run them all. tests/dbt/test_contracts.py checks that each such test has its
constraint; `relationships` tests are not here (no foreign keys: dbt rebuilds reps with drop cascade).

dbt applies a contract's constraints only when it creates a table, and a partition run refreshes the
existing tables in place (dbt_project/macros/materializations.sql), so a table built before its contract
(or before a constraint was added) lacks them until a full refresh. A partition run therefore first asks
Postgres which constraints its tables hold (missing_constraints) and runs every test while any is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg

CONSTRAINT_BACKED_TESTS: tuple[str, ...] = (
    "not_null",
    "unique",
    "unique_combination_of_columns",
    "accepted_range",
    "accepted_values",
)

CONSTRAINTS_HELD = """
select
    n.nspname || '.' || c.relname as relation,
    array(
        select k.conname::text from pg_constraint as k where k.conrelid = c.oid and k.contype = 'c'
    ) as checks,
    exists(
        select 1 from pg_constraint as k where k.conrelid = c.oid and k.contype in ('p', 'u')
    ) as has_key,
    array(
        select a.attname::text from pg_attribute as a
        where a.attrelid = c.oid and a.attnum > 0 and a.attnotnull and not a.attisdropped
    ) as not_null
from pg_class as c
inner join pg_namespace as n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and n.nspname || '.' || c.relname = any(%s)
"""


MISSING_TABLES = "select relation from unnest(%s::text[]) as relation where to_regclass(relation) is null"


@dataclass(frozen=True)
class ContractConstraints:
    """What an incremental model's enforced contract puts on its table."""

    relation: str
    checks: frozenset[str]
    has_key: bool
    not_null: frozenset[str]


def table_contracts(manifest: Mapping[str, Any]) -> list[ContractConstraints]:
    """The constraints of every table or incremental model with an enforced contract."""
    contracts = []
    for node in manifest["nodes"].values():
        config = node.get("config") or {}
        if node["resource_type"] != "model" or config.get("materialized") not in ("table", "incremental"):
            continue
        if not (config.get("contract") or {}).get("enforced"):
            continue
        model_level = node.get("constraints") or []
        column_level = [
            (name, constraint)
            for name, column in node["columns"].items()
            for constraint in column.get("constraints") or []
        ]
        contracts.append(
            ContractConstraints(
                relation=f"{node['schema']}.{node['alias']}",
                checks=frozenset(
                    constraint["name"]
                    for constraint in [*model_level, *(constraint for _, constraint in column_level)]
                    if constraint["type"] == "check" and constraint.get("name")
                ),
                has_key=any(constraint["type"] in ("primary_key", "unique") for constraint in model_level),
                not_null=frozenset(
                    name for name, constraint in column_level if constraint["type"] in ("not_null", "primary_key")
                ),
            )
        )
    return contracts


def missing_constraints(url: str, contracts: Iterable[ContractConstraints]) -> list[str]:
    """Each contract constraint an existing table lacks, as "<schema.table>: <what>" (a table not built yet
    gets all of them when dbt creates it)."""
    wanted = {contract.relation: contract for contract in contracts}
    with psycopg.connect(url) as conn:
        held = conn.execute(CONSTRAINTS_HELD, (list(wanted),)).fetchall()
    missing = []
    for relation, checks, has_key, not_null in held:
        contract = wanted[relation]
        missing += [f"{relation}: check {name}" for name in sorted(contract.checks - set(checks))]
        missing += [f"{relation}: not null {name}" for name in sorted(contract.not_null - set(not_null))]
        if contract.has_key and not has_key:
            missing.append(f"{relation}: primary key")
    return missing


def missing_tables(url: str, relations: Iterable[str]) -> list[str]:
    """Which of the "<schema.table>" relations do not exist (yet) in the warehouse at `url`."""
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute(MISSING_TABLES, (list(relations),)).fetchall()]
