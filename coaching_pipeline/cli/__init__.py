"""The `coaching` command."""

from coaching_pipeline.cli.app import app

__all__ = ["app"]
