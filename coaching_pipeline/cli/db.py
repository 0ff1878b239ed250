"""`coaching db`: migrate the warehouse, print its URL, stop the embedded server, open it to BI tools."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from coaching_pipeline.cli.errors import KNOWN_ERRORS, fail
from coaching_pipeline.runner import environment as runtime
from coaching_pipeline.settings import get_settings

db_app = typer.Typer(help="The Postgres warehouse.", no_args_is_help=True)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create or upgrade the warehouse schema (idempotent; also runs automatically on first use)."""
    from coaching_pipeline.warehouse.db import database_url
    from coaching_pipeline.warehouse.migrate import migrate

    try:
        applied = migrate(database_url())
    except KNOWN_ERRORS as exc:
        fail(exc)
    typer.echo("\n".join(f"applied {name}" for name in applied) or "warehouse is up to date")


@db_app.command("url")
def db_url() -> None:
    """Print the warehouse URL (starting the embedded server if DATABASE_URL is unset)."""
    try:
        typer.echo(runtime.prepare_environment())
    except KNOWN_ERRORS as exc:
        fail(exc)


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL under COACHING_HOME (the next command that needs it starts it again)."""
    from coaching_pipeline.warehouse.embedded import stop_embedded

    try:
        settings = get_settings()
    except KNOWN_ERRORS as exc:
        fail(exc)
    if settings.database_url:
        typer.echo("DATABASE_URL points at your own PostgreSQL; there is no embedded server to stop.")
        return
    stopped = stop_embedded(settings.coaching_home)
    typer.echo(f"{'Stopped' if stopped else 'No'} embedded PostgreSQL under {settings.coaching_home}.")


@db_app.command("expose")
def db_expose(
    port: Annotated[int, typer.Option(help="TCP port to listen on (127.0.0.1).", min=1, max=65535)] = 5433,
) -> None:
    """Let TCP clients such as BI tools reach the embedded PostgreSQL, which listens only on a Unix socket:
    relays 127.0.0.1:PORT to it until Ctrl-C. Connect as a coaching_bi login (docs/marts.md)."""
    from coaching_pipeline.warehouse.embedded import bridge_tcp_to_socket, socket_path

    try:
        url = runtime.prepare_environment()
        socket = socket_path(url)
    except (*KNOWN_ERRORS, ValueError) as exc:
        fail(exc)
    database = url.split("?")[0].rsplit("/", 1)[-1]

    def ready(bound: int) -> None:
        typer.echo(f"PostgreSQL on 127.0.0.1:{bound}, database {database} (Ctrl-C to stop)")

    try:
        asyncio.run(bridge_tcp_to_socket(socket, "127.0.0.1", port, on_ready=ready))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        fail(OSError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}"))
