"""The `coaching` command: one front door to the warehouse, the knowledge base, the pipeline and the demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from importlib.metadata import entry_points
from typing import Annotated

import typer

from coaching_pipeline.cli import report as report_cli
from coaching_pipeline.cli.db import db_app
from coaching_pipeline.cli.errors import KNOWN_ERRORS
from coaching_pipeline.cli.mcp import mcp_app
from coaching_pipeline.cli.webhooks import webhooks_app
from coaching_pipeline.runner import environment as runtime

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


def _fail(exc: BaseException) -> None:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


@kb_app.command("load")
def kb_load() -> None:
    """Validate rubrics/ and kb/ and load them into the warehouse; a broken file loads nothing."""
    from coaching_pipeline.knowledge.store import sync_knowledge

    try:
        report = sync_knowledge(runtime.prepare_environment())
    except KNOWN_ERRORS as exc:
        _fail(exc)
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
) -> None:
    """Poll Gong, then materialize every partition in [--from, --to] as one run (a backfill from the CLI)."""
    from coaching_pipeline.runner.backfill import run_pipeline
    from coaching_pipeline.settings import BatchMode

    try:
        first = date.fromisoformat(from_date) if from_date else None
        last = date.fromisoformat(to_date) if to_date else None
        if first and last and last < first:
            raise typer.BadParameter("--to is before --from")
        use_batches = None if batch is None else (BatchMode.ALWAYS if batch else BatchMode.NEVER)
        run_pipeline(first, last, poll=poll, use_batches=use_batches, echo=typer.echo)
    except ValueError as exc:
        _fail(exc)
    except KNOWN_ERRORS as exc:
        _fail(exc)


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
