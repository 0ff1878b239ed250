"""The `coaching` command: every command has --help, and bad input fails with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coaching_pipeline.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["run"],
        ["demo"],
        ["db"],
        ["db", "migrate"],
        ["db", "url"],
        ["kb"],
        ["kb", "load"],
        ["ui"],
        ["report"],
        ["webhooks"],
        ["webhooks", "serve"],
    ],
)
def test_cli_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_cli_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("coaching")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "coaching" in result.stdout.lower()


def test_cli_db_migrate_reports_up_to_date(database_url: str) -> None:
    result = runner.invoke(app, ["db", "migrate"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_cli_bad_setting_fails_with_variable_name() -> None:
    env = {**os.environ, "COACHING_TIMEZONE": "Mars/Olympus_Mons"}
    script = Path(sys.executable).with_name("coaching")
    result = subprocess.run([str(script), "db", "migrate"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "COACHING_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_run_rejects_reversed_range() -> None:
    result = runner.invoke(app, ["run", "--from", "2026-09-10", "--to", "2026-09-01"])
    assert result.exit_code != 0
    assert "before" in result.output


def test_cli_run_rejects_malformed_date() -> None:
    result = runner.invoke(app, ["run", "--from", "last tuesday"])
    assert result.exit_code == 2
    assert "--from 'last tuesday' is not a date" in result.output


def test_cli_report_summarises_an_empty_warehouse(isolated_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from coaching_pipeline.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", isolated_database_url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["report"])
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Ingested 0 calls" in result.output
    assert "no analysed calls yet" in result.output
