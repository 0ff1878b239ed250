"""`coaching webhooks serve`: the Gong webhook receiver on uvicorn."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from coaching_pipeline.cli.errors import KNOWN_ERRORS

webhooks_app = typer.Typer(help="Receive Gong automation-rule webhooks.", no_args_is_help=True)


@webhooks_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8080,
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 behind a proxy or in a container).")] = (
        "127.0.0.1"
    ),
) -> None:
    """Serve POST /webhooks/gong and GET /webhooks/health; refuses to start with no authentication configured."""
    import uvicorn

    from coaching_pipeline.runner import environment as runtime
    from coaching_pipeline.settings import get_settings
    from coaching_pipeline.webhooks.app import create_app
    from coaching_pipeline.webhooks.config import WebhookConfigError, webhook_config

    try:
        config = webhook_config(get_settings())
        url = runtime.prepare_environment()
    except (WebhookConfigError, *KNOWN_ERRORS) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    typer.echo(f"Gong webhooks on http://{host}:{port}/webhooks/gong ({', '.join(config.auth.configured)})")
    # No access log: a URL token in the query string must never reach a log line.
    uvicorn.run(create_app(config, url), host=host, port=port, access_log=False, log_level="info")
