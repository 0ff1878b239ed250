"""Errors the warehouse raises with a message that says what to check."""

from __future__ import annotations

from urllib.parse import urlparse

import psycopg
import psycopg2


class WarehouseUnavailable(RuntimeError):
    """The warehouse could not be reached: a wrong DATABASE_URL, or the server is down."""

    def __init__(self, url: str, error: BaseException) -> None:
        super().__init__(f"cannot reach the warehouse at {shown_url(url)} (check DATABASE_URL): {first_line(error)}")


class WarehouseConnectionLost(RuntimeError):
    """The server went away in the middle of a command (restart, crash, network), after retries ran out."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(
            f"lost the warehouse connection mid-run ({first_line(error)}); what was committed is kept and the "
            "unfinished work is redone: run the same command again once Postgres is back"
        )


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def connection_lost(error: BaseException) -> bool:
    """A connection failure from psycopg (our SQL) or psycopg2 (Dagster's storage, through SQLAlchemy, which
    keeps the driver's error as `orig`), raised directly or as the cause of another error."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, psycopg.OperationalError | psycopg2.OperationalError):
            return True
        orig = getattr(current, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]
    return False


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)
    return parsed._replace(netloc=netloc).geturl()
