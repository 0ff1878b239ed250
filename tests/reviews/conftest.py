"""One synthetic warehouse with built marts for every reviews test, and local SMTP and Slack stand-ins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg.rows import dict_row

from coaching_sandbox.warehouse.loading import seed_warehouse
from coaching_sandbox.warehouse.synthetic import SyntheticSpec
from tests.dbt.dbt_runs import run_dbt
from tests.reviews.servers import LocalSlack, LocalSmtp

if TYPE_CHECKING:
    from tests.conftest import DatabaseFactory

# The synthetic warehouse runs 2026-08-03 to 2026-09-13: six weeks, the last one the marts' benchmark week.
LATEST_WEEK = date(2026, 9, 7)
EARLIER_WEEK = date(2026, 8, 24)


@pytest.fixture(scope="session")
def reviews_url(database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of its own, seeded with the synthetic company (3 teams of 5 reps and their managers) and
    built by `dbt run` (the dbt tests check the marts themselves); the reviews tests only read its marts and
    write the delivery ledger."""
    url = database_factory.create("reviews")
    with psycopg.connect(url) as conn:
        seed_warehouse(conn, SyntheticSpec())
    run_dbt(url, tmp_path_factory.mktemp("reviews-dbt"), "run")
    return url


@pytest.fixture
def marts(reviews_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(reviews_url, row_factory=dict_row, autocommit=True) as conn:
        yield conn


@pytest.fixture
def smtp_server() -> Iterator[LocalSmtp]:
    with LocalSmtp.running() as server:
        yield server


@pytest.fixture
def slack_server() -> Iterator[LocalSlack]:
    with LocalSlack.running() as server:
        yield server


@pytest.fixture
def clean_ledger(reviews_url: str) -> Iterator[None]:
    """Each delivery test starts with an empty ledger."""
    with psycopg.connect(reviews_url, autocommit=True) as conn:
        conn.execute("truncate coaching.review_deliveries")
    yield


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "reviews"
