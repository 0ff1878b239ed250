"""`coaching report --week ...` writes the week's reviews and prints their paths; bad input is one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coaching_pipeline.cli.app import app
from coaching_pipeline.settings import get_settings
from tests.reviews.servers import LocalSmtp

runner = CliRunner()


@pytest.fixture
def warehouse(reviews_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", reviews_url)
    get_settings.cache_clear()
    yield reviews_url
    monkeypatch.undo()
    get_settings.cache_clear()


def test_cli_report_writes_one_reps_review(warehouse: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", "--week", "2026-W37", "--rep", "u-0-1@example.com", "--format", "md", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (path,) = [Path(line) for line in result.output.splitlines()]
    assert path.parent == tmp_path and path.suffix == ".md"
    assert path.read_text(encoding="utf-8").startswith("# Weekly coaching review: Rep1 Team0, 2026-W37")


def test_cli_report_writes_a_teams_review_by_team_name(warehouse: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--week", "2026-09-09", "--team", "Mid-Market", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (path,) = [Path(line) for line in result.output.splitlines()]
    assert "-team-" in path.name and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_report_latest_writes_every_review_of_the_week(warehouse: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--week", "latest", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.output.splitlines()]
    assert len(paths) == 15 + 3 and all(p.exists() and p.name.startswith("2026-09-07-") for p in paths)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--week", "2026-W60"], 2, "not a week"),
        (["--week", "2026-W37", "--rep", "nobody@example.com"], 1, "no user with email"),
        (["--week", "2026-W37", "--team", "Nowhere"], 1, "no team or manager"),
        (["--week", "2025-W37", "--rep", "u-0-1@example.com"], 1, "no analysed calls"),
        (["--week", "2026-W37", "--rep", "u-0-1@example.com", "--team", "Enterprise"], 2, "not both"),
        (["--week", "2026-W37", "--format", "pdf"], 2, "html or md"),
    ],
)
def test_cli_report_bad_input_is_one_line(warehouse: str, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.usefixtures("clean_ledger")
def test_cli_report_deliver_sends_each_message_once(
    warehouse: str, tmp_path: Path, smtp_server: LocalSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_FROM": "coaching@example.com",
        "SMTP_STARTTLS": "false",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    first = runner.invoke(app, ["report", "--week", "2026-W37", "--deliver", "--out", str(tmp_path)])
    assert first.exit_code == 0, first.output
    sent = len(smtp_server.messages)
    assert sent > 15 and f"sent {sent}, already sent 0, failed 0" in first.output
    again = runner.invoke(app, ["report", "--week", "2026-W37", "--deliver", "--out", str(tmp_path)])
    assert again.exit_code == 0 and f"sent 0, already sent {sent}, failed 0" in again.output
    assert len(smtp_server.messages) == sent
