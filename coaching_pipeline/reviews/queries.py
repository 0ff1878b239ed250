"""The reviews' SQL, one file per query in `sql/`, read from the marts (and the rubrics' drills) by name."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import psycopg

SQL_DIR = Path(__file__).with_name("sql")


@cache
def sql(name: str) -> str:
    """The text of `sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def rows(conn: psycopg.Connection, name: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of the named query, as dicts (the connection's row factory is dict_row)."""
    return list(conn.execute(sql(name), params).fetchall())


def row(conn: psycopg.Connection, name: str, **params: Any) -> dict[str, Any] | None:
    """The first row of the named query, or None."""
    return conn.execute(sql(name), params).fetchone()
