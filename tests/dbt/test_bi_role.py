"""The coaching_bi role reads the marts and nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors


@pytest.fixture
def as_bi(marts_url: str) -> Iterator[psycopg.Connection]:
    """A connection acting as coaching_bi (SET ROLE), each statement in its own transaction."""
    with psycopg.connect(marts_url, autocommit=True) as conn:
        superuser = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]
        if not superuser:
            conn.execute("grant coaching_bi to current_user")
        conn.execute("set role coaching_bi")
        yield conn


@pytest.mark.parametrize("mart", ["call_scores", "rep_benchmarks", "reps"])
def test_bi_role_reads_marts(as_bi: psycopg.Connection, mart: str) -> None:
    """Incremental and rebuilt tables alike: the marts schema's default privileges grant select on creation."""
    assert as_bi.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0


def test_bi_role_cannot_insert_into_marts(as_bi: psycopg.Connection) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        as_bi.execute("insert into marts.reps (user_id) values ('intruder')")


def test_bi_role_cannot_create_tables_in_marts(as_bi: psycopg.Connection) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        as_bi.execute("create table marts.bi_scratch (id integer)")


def test_bi_role_cannot_read_raw_transcripts(as_bi: psycopg.Connection) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        as_bi.execute("select count(*) from raw.transcripts")


def test_bi_role_reads_new_mart_tables_by_default(marts_db: psycopg.Connection, as_bi: psycopg.Connection) -> None:
    marts_db.execute("create table marts.default_privileges_probe as select 1 as probe")
    try:
        assert as_bi.execute("select probe from marts.default_privileges_probe").fetchone() == (1,)
    finally:
        marts_db.execute("drop table marts.default_privileges_probe")
