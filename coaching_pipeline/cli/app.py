"""The `coaching` command: one front door to the warehouse, the knowledge base, the pipeline and the demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, datetime
from importlib.metadata import entry_points
from typing import Annotated

import typer

from coaching_pipeline.cli import report as report_cli
from coaching_pipeline.cli.db import db_app
from coaching_pipeline.cli.errors import KNOWN_ERRORS, exit_code, fail
from coaching_pipeline.cli.mcp import mcp_app
from coaching_pipeline.cli.webhooks import webhooks_app
from coaching_pipeline.runner import environment as runtime
from coaching_pipeline.runner.errors import RangeError
from coaching_pipeline.warehouse.errors import WarehouseConnectionLost, connection_lost

app = typer.Typer(
    help="Sales-call coaching pipeline: Gong calls scored by Claude, served as dbt marts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="Rubrics and the product knowledge base.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(kb_app, name="kb")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(mcp_app, name="mcp")

# Commands that other installed packages contribute (the sandbox adds `coaching demo`), declared under this
# entry-point group, so the product never imports them.
PLUGIN_GROUP = "coaching.commands"


def _add_plugin_commands() -> None:
    for entry_point in entry_points(group=PLUGIN_GROUP):
        app.command(entry_point.name)(entry_point.load())


@kb_app.command("load")
def kb_load() -> None:
    """Validate rubrics/ and kb/ and load them into the warehouse; a broken file loads nothing."""
    from coaching_pipeline.knowledge.store import sync_knowledge

    try:
        report = sync_knowledge(runtime.prepare_environment())
    except KNOWN_ERRORS as exc:
        fail(exc)
    for part in (report.rubrics, report.kb_documents):
        typer.echo(f"{part.table}: {part.inserted} inserted, {part.updated} updated, {part.unchanged} unchanged")


@app.command("run")
def run(
    from_date: Annotated[str | None, typer.Option("--from", help="First call date (YYYY-MM-DD).")] = None,
    to_date: Annotated[str | None, typer.Option("--to", help="Last call date, inclusive (YYYY-MM-DD).")] = None,
    poll: Annotated[bool, typer.Option(help="Poll Gong for new calls first (the sensor's logic).")] = True,
    batch: Annotated[
        bool | None,
        typer.Option(
            "--batch/--no-batch",
            help="Send Claude analyses as Message Batches (half price, results within 24 h) or not; "
            "default: COACHING_USE_BATCHES (auto: backfills of COACHING_BATCH_MIN_CALLS calls or more).",
        ),
    ] = None,
    refetch: Annotated[
        bool,
        typer.Option(
            "--refetch",
            help="Ask Gong again for transcripts already stored (one Gong corrected); "
            "default: only calls without a stored transcript are fetched.",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Dagster's and dbt's own logs.")] = False,
) -> None:
    """Poll Gong, then materialize every partition in [--from, --to] as one run (a backfill from the CLI)."""
    from coaching_pipeline.runner.backfill import run_pipeline
    from coaching_pipeline.runner.dates import check_range, parse_day
    from coaching_pipeline.settings import BatchMode, get_settings

    try:
        first = parse_day("--from", from_date) if from_date else None
        last = parse_day("--to", to_date) if to_date else None
        if last is not None and first is None:
            raise RangeError(f"--to {last} needs --from: give the first day of the range too")
        if first is not None:
            settings = get_settings()
            today = datetime.now(settings.timezone).date()
            start = date.fromisoformat(settings.coaching_start_date)
            check_range(first, last or first, start_date=start, today=today)
        use_batches = None if batch is None else (BatchMode.ALWAYS if batch else BatchMode.NEVER)
        run_pipeline(first, last, poll=poll, use_batches=use_batches, refetch=refetch, echo=typer.echo, verbose=verbose)
    except KNOWN_ERRORS as exc:
        fail(exc, exit_code(exc))
    except Exception as exc:
        if not connection_lost(exc):
            raise
        fail(WarehouseConnectionLost(exc))


app.command("report")(report_cli.report)


@app.command("ui")
def ui(port: Annotated[int, typer.Option(help="Port for the Dagster UI.")] = 3000) -> None:
    """Start the Dagster UI and daemon (sensor, schedules, automation) on the same warehouse."""
    runtime.prepare_environment()
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-w",
        str(runtime.REPO_ROOT / "workspace.yaml"),
        "-p",
        str(port),
        "-h",
        "127.0.0.1",
    ]
    typer.echo(f"Dagster UI on http://127.0.0.1:{port} (Ctrl-C to stop)")
    process = subprocess.Popen(command, env=os.environ.copy(), preexec_fn=_default_sigint)
    try:
        raise typer.Exit(process.wait())
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        raise typer.Exit(process.wait()) from None


def _default_sigint() -> None:
    """A background parent may have SIGINT ignored; dagster dev inherits that and would ignore Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


_add_plugin_commands()


def main() -> None:
    """The `coaching` console script: a known error anywhere (a bad setting read by any command, say) is one
    line on stderr and exit code 1 or 2, never a traceback."""
    try:
        app()
    except KNOWN_ERRORS as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise SystemExit(exit_code(exc)) from None
