"""A connection lost under any driver (ours, or Dagster's storage through SQLAlchemy) is recognised as such."""

from __future__ import annotations

import psycopg
import psycopg2
import sqlalchemy.exc

from coaching_pipeline.warehouse.errors import WarehouseConnectionLost, connection_lost


def test_connection_lost_recognises_psycopg_sqlalchemy_and_chained_errors() -> None:
    wrapped = sqlalchemy.exc.OperationalError("insert ...", {}, psycopg2.OperationalError("server closed"))
    try:
        try:
            raise psycopg.OperationalError("terminating connection due to administrator command")
        except psycopg.OperationalError as cause:
            raise RuntimeError("step failed") from cause
    except RuntimeError as chained:
        assert connection_lost(chained)
    assert connection_lost(wrapped)
    assert not connection_lost(ValueError("bad value"))


def test_connection_lost_message_is_one_line_and_says_to_rerun() -> None:
    message = str(WarehouseConnectionLost(psycopg.OperationalError("server closed\nthe connection unexpectedly")))
    assert "\n" not in message
    assert "server closed" in message and "run the same command again" in message
