"""The `coaching` command."""

from coaching_pipeline.cli.app import app, main

__all__ = ["app", "main"]
