"""Bad options and settings get one line naming the option or variable, the value and what is accepted: exit
code 1 or 2, no traceback, and nothing started (no Dagster run, no Gong poll)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import psycopg
import pytest

from coaching_pipeline.cli.app import main
from coaching_pipeline.settings import get_settings

GONG = {"GONG_BASE_URL": "http://127.0.0.1:9", "GONG_ACCESS_KEY": "key", "GONG_ACCESS_KEY_SECRET": "secret"}
CASES = [
    (["run", "--from", "2026-13-45"], {}, "--from '2026-13-45' is not a date: use YYYY-MM-DD", 2),
    (["run", "--from", "banana"], {}, "--from 'banana' is not a date: use YYYY-MM-DD", 2),
    (["run", "--from", "2026-09-10", "--to", "2026-9-1"], {}, "--to '2026-9-1' is not a date", 2),
    (["run", "--from", "2026-09-10", "--to", "2026-09-01"], {}, "--to 2026-09-01 is before --from 2026-09-10", 2),
    (["run", "--to", "2026-09-01"], {}, "--to 2026-09-01 needs --from", 2),
    (["run", "--from", "2025-01-01"], {}, "--from 2025-01-01 is before COACHING_START_DATE (2026-08-03)", 2),
    (["run", "--from", "2026-09-01", "--to", "2999-01-01"], {}, "--to 2999-01-01 is in the future", 2),
    (["run", "--from", "2026-09-01"], {"COACHING_START_DATE": "2026-02-30"}, "COACHING_START_DATE='2026-02-30'", 1),
    (["run"], {"GONG_REQUESTS_PER_SECOND": "-1"}, "GONG_REQUESTS_PER_SECOND='-1': Input should be greater than 0", 1),
    (["db", "url"], {"COACHING_TIMEZONE": "Mars/Base"}, "COACHING_TIMEZONE='Mars/Base': unknown IANA time zone", 1),
    (["ui"], {"COACHING_TIMEZONE": "Mars/Base"}, "COACHING_TIMEZONE='Mars/Base': unknown IANA time zone", 1),
    (
        ["kb", "load"],
        {"DATABASE_URL": "mysql://db/coaching"},
        "DATABASE_URL='mysql://db/coaching': must be a postgres",
        1,
    ),
    (
        ["db", "migrate"],
        {"DATABASE_URL": "postgresql://coach:s3cret@127.0.0.1:9/nowhere", "COACHING_PG_RETRY_SECONDS": "0"},
        "cannot reach the warehouse at postgresql://coach:***@127.0.0.1:9/nowhere (check DATABASE_URL)",
        1,
    ),
    (["run"], {key: "" for key in GONG}, "Gong is not configured: set GONG_BASE_URL", 1),
]


@pytest.fixture
def environment(isolated_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A warehouse of this module's own, a Gong that is configured but never reached, fresh settings."""
    monkeypatch.setenv("DATABASE_URL", isolated_database_url)
    for name, value in GONG.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield isolated_database_url
    get_settings.cache_clear()


@pytest.mark.parametrize(("argv", "env", "expected", "code"), CASES, ids=[" ".join(c[0]) + str(c[1]) for c in CASES])
def test_cli_bad_input_is_one_clear_line_and_starts_nothing(
    environment: str,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    argv: list[str],
    env: dict[str, str],
    expected: str,
    code: int,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    monkeypatch.setattr(sys, "argv", ["coaching", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capfd.readouterr()
    assert exited.value.code == code
    assert [line for line in err.splitlines() if line.strip()] == [err.strip()], err
    assert err.startswith("error: ") and expected in err, err
    assert "Traceback" not in out + err
    assert "s3cret" not in out + err
    with psycopg.connect(environment) as conn:
        started = conn.execute(
            "select to_regclass('dagster.runs') is not null"
            " or exists (select 1 from raw.ingestion_state where state_key = 'cli_gong_poll')"
        ).fetchone()[0]
    assert started is False
