"""Inject dbt's ephemeral-model CTEs without parsing the whole model with sqlparse, for SQL that opens with WITH.

dbt compiles a model that refs ephemeral models by splicing their CTEs in after the model's leading WITH, and
finds that WITH by parsing the model's entire SQL with sqlparse (dbt.compilation.inject_ctes_into_sql), a
pure-Python parser: every mart here refs staging models, so a one-day partition run spent about 110 ms of
CPU, a seventh of its time, parsing SQL only to find its first keyword. Every model in this project opens
with WITH after optional comments (its import CTEs, per the style guide), which a scan of the leading
whitespace and comments finds in microseconds. For that case this module produces exactly what dbt
produces (tests/defs/test_dbt_cte_injection.py compares both on every model); any other SQL goes to dbt's
own function. install() swaps it in for the dbt commands this process runs (dbt_in_process.invoke_dbt).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from dbt import compilation

# Whitespace, `-- line` and `/* block */` comments, then WITH (and RECURSIVE after whitespace only, as
# dbt's token loop accepts it) and the whitespace after it: dbt inserts its CTEs before the next token
# that is not whitespace. Atomic and possessive, so a miss fails in one pass instead of backtracking.
_LEADING_WITH = re.compile(r"(?>\s|--[^\n]*|/\*.*?\*/)*+with\b(?:\s+recursive\b)?\s*+", re.IGNORECASE | re.DOTALL)

dbt_inject_ctes_into_sql: Callable[[str, Sequence[Any]], str] = compilation.inject_ctes_into_sql


def inject_ctes_into_sql(sql: str, ctes: Sequence[Any]) -> str:
    """dbt's inject_ctes_into_sql: the CTEs after the leading WITH, then a comma and the model's own CTEs."""
    if not ctes:
        return sql
    at = injection_point(sql)
    if at is None:
        return dbt_inject_ctes_into_sql(sql, list(ctes))
    injected = ", ".join(cte.sql for cte in ctes)
    return f"{sql[:at]}{injected}, {sql[at:]}"


def injection_point(sql: str) -> int | None:
    """Where dbt would insert the CTEs into `sql` that opens with WITH; None for any other SQL."""
    leading = _LEADING_WITH.match(sql)
    return None if leading is None else leading.end()


def install() -> None:
    """Make dbt's compiler use inject_ctes_into_sql in this process (idempotent)."""
    compilation.inject_ctes_into_sql = inject_ctes_into_sql
