"""`coaching mcp`: serve the MCP app over stdio or HTTP, and issue or revoke its bearer tokens."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from coaching_pipeline.cli.errors import KNOWN_ERRORS
from coaching_pipeline.runner import environment as runtime
from coaching_pipeline.settings import get_settings

mcp_app = typer.Typer(help="The MCP app for reps and managers (Claude Desktop or any MCP client).")
token_app = typer.Typer(help="Bearer tokens for the HTTP server (stored only as hashes).", no_args_is_help=True)
mcp_app.add_typer(token_app, name="token")


def _quiet_fastmcp() -> None:
    """Before FastMCP is imported: no banner on stdio, no update check (there may be no network)."""
    os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")
    os.environ.setdefault("FASTMCP_CHECK_FOR_UPDATES", "off")


def _urls() -> tuple[str, str]:
    """The owner's URL (migrated) and the app's own (COACHING_MCP_DATABASE_URL, else the same)."""
    try:
        owner = runtime.prepare_environment()
    except KNOWN_ERRORS as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    return owner, get_settings().coaching_mcp_database_url or owner


@mcp_app.callback(invoke_without_command=True)
def serve(
    context: typer.Context,
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP (bearer tokens) instead of stdio.")
    ] = False,
    host: Annotated[str, typer.Option(help="HTTP interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8765,
) -> None:
    """Serve the app: stdio as the Gong user in COACHING_MCP_USER, or HTTP (`--http`) with bearer tokens."""
    if context.invoked_subcommand is not None:
        return
    _quiet_fastmcp()
    from mcp_app.auth import build_auth
    from mcp_app.server import create_app
    from mcp_app.services.context import AppContext
    from mcp_app.services.principal import Role

    _, url = _urls()
    settings = get_settings()
    ctx = AppContext(url=url, settings=settings)
    if http:
        create_app(ctx, auth=build_auth(url, settings)).run(transport="http", host=host, port=port)
        return
    if not settings.coaching_mcp_user:
        typer.secho("error: COACHING_MCP_USER: set it to your Gong email for stdio", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)
    role = Role(settings.coaching_mcp_role) if settings.coaching_mcp_role else None
    create_app(ctx, stdio_email=settings.coaching_mcp_user, stdio_role=role).run(transport="stdio")


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Option(help="The Gong user's email.")],
    role: Annotated[str, typer.Option(help="rep, manager or admin.")] = "rep",
    days: Annotated[int | None, typer.Option(help="Expire after this many days (default: never).")] = None,
    label: Annotated[str | None, typer.Option(help="A note, e.g. the device.")] = None,
) -> None:
    """Issue a token; it is printed once and only its hash is stored."""
    _quiet_fastmcp()
    from mcp_app.auth import create_token
    from mcp_app.services.errors import ServiceError
    from mcp_app.services.principal import Role

    if role not in Role._value2member_map_:
        raise typer.BadParameter("expected rep, manager or admin", param_hint="--role")
    owner, _ = _urls()
    try:
        secret, issued = create_token(owner, email=email, role=Role(role), days=days, label=label)
    except ServiceError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    typer.echo(secret)
    typer.echo(f"token {issued.token_id} for {issued.email} ({issued.role}); it is not shown again", err=True)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str | None, typer.Option(help="The token id (`token list`).")] = None,
    email: Annotated[str | None, typer.Option(help="Revoke every token of this user.")] = None,
) -> None:
    """Revoke one token, or all of a user's."""
    _quiet_fastmcp()
    from mcp_app.auth import revoke_token

    if not (token_id or email):
        raise typer.BadParameter("give --token-id or --email")
    owner, _ = _urls()
    typer.echo(f"revoked {revoke_token(owner, token_id=token_id, email=email)} token(s)")


@token_app.command("list")
def token_list() -> None:
    """Every issued token: id, user, role, expiry, revocation (never the secret)."""
    _quiet_fastmcp()
    from mcp_app.auth import list_tokens

    owner, _ = _urls()
    for t in list_tokens(owner):
        state = "revoked" if t.revoked_at else f"expires {t.expires_at:%Y-%m-%d}" if t.expires_at else "no expiry"
        typer.echo(f"{t.token_id}  {t.email}  {t.role}  {state}  {t.label or ''}".rstrip())
