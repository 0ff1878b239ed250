"""The exceptions the CLI reports as one clear line instead of a traceback."""

from __future__ import annotations

from typing import NoReturn

import typer

from coaching_pipeline.gong.errors import GongError
from coaching_pipeline.knowledge.errors import KnowledgeBaseError, RubricError
from coaching_pipeline.runner.errors import PipelineRunError, RangeError
from coaching_pipeline.settings import SettingsError
from coaching_pipeline.warehouse.errors import WarehouseConnectionLost, WarehouseUnavailable
from coaching_pipeline.warehouse.migrate import MigrationError

KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    SettingsError,
    MigrationError,
    WarehouseUnavailable,
    WarehouseConnectionLost,
    GongError,
    RubricError,
    KnowledgeBaseError,
    PipelineRunError,
    RangeError,
)


def fail(exc: BaseException, code: int = 1) -> NoReturn:
    """Print `error: <message>` on stderr and exit with `code` (2 for a bad option or date, 1 otherwise)."""
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=code)


def exit_code(exc: BaseException) -> int:
    return 2 if isinstance(exc, RangeError) else 1
