"""`coaching run --batch` over a day of the sample corpus, with Claude being the simulator over HTTP: the analyses
go out as Message Batches and the ledger holds batch (half) prices. (COACHING_USE_BATCHES=auto choosing batches
for a backfill runs through the same analysis asset in tests/defs/test_call_coverage.py, without the CLI's
reference-data and dbt steps.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coaching_pipeline.analysis.costs import TokenUsage, cost_usd, load_price_table
from coaching_pipeline.cli.app import app
from coaching_pipeline.settings import get_settings
from coaching_pipeline.warehouse.db import connect
from coaching_sandbox.simulators.claude import serve_claude

DAY = "2026-08-04"
# prepare_environment() exports these for Dagster and dbt; set here first, so the test restores them after.
EXPORTED = (
    "DATABASE_URL",
    "COACHING_DAGSTER_PG_URL",
    "DAGSTER_HOME",
    "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS",
)


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["run", "--no-poll", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.fixture(scope="module")
def runs(
    isolated_database_url: str, sample_gong: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    home = Path(tmp_path_factory.mktemp("cli-batches"))
    with serve_claude(batch_polls_to_finish=2) as claude, pytest.MonkeyPatch.context() as env:
        for name in EXPORTED:
            env.setenv(name, "")
        env.setenv("DATABASE_URL", isolated_database_url)
        env.setenv("COACHING_HOME", str(home))
        env.setenv("ANTHROPIC_API_KEY", "sim-key")
        env.setenv("ANTHROPIC_BASE_URL", claude.base_url)
        env.setenv("COACHING_BATCH_POLL_SECONDS", "0")
        get_settings.cache_clear()
        output = _run("--batch", "--from", DAY, "--to", DAY)
        found = {
            "output": output,
            "batches": len(claude.sim.logged("/v1/messages/batches")),
            "messages": len(claude.sim.logged("/v1/messages")),
        }
        found["refetched"] = _run("--refetch", "--from", DAY, "--to", DAY)
        yield found
    get_settings.cache_clear()


def test_cli_run_batch_sends_message_batches_not_messages(runs: dict[str, Any]) -> None:
    assert (runs["batches"], runs["messages"]) == (1, 0)
    assert "analyses: batch (always (this run's config))" in runs["output"]


def test_cli_run_refetch_asks_gong_again_for_every_stored_call(runs: dict[str, Any]) -> None:
    """The first run fetched the day's calls; a plain re-run would fetch none, --refetch fetches them all (and
    finds every transcript unchanged, so nothing is analysed or paid again)."""
    assert "raw_transcripts: calls=9, fetched=9, stored=0" in runs["refetched"]
    assert "cost_usd=0.0, cache_hits=9" in runs["refetched"]


def test_cli_run_batch_ledger_holds_batch_prices_half_of_sync(runs: dict[str, Any], isolated_database_url: str) -> None:
    with connect(isolated_database_url) as conn:
        rows = conn.execute(
            "select mode, model, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens,"
            " cost_usd from coaching.llm_requests where call_date = %s",
            (DAY,),
        ).fetchall()
    assert rows and {row["mode"] for row in rows} == {"batch"}
    prices = load_price_table()
    for row in rows:
        usage = TokenUsage(
            input_tokens=row["input_tokens"],
            output_tokens=row["output_tokens"],
            cache_write_1h_tokens=row["cache_creation_input_tokens"],
            cache_read_tokens=row["cache_read_input_tokens"],
        )
        sync_price = cost_usd(prices, row["model"], usage)
        assert float(row["cost_usd"]) == cost_usd(prices, row["model"], usage, batch=True)
        assert float(row["cost_usd"]) == pytest.approx(sync_price / 2, abs=2e-6)
