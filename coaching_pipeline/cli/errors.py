"""The exceptions the CLI reports as one clear line instead of a traceback."""

from __future__ import annotations

from coaching_pipeline.settings import SettingsError
from coaching_pipeline.warehouse.migrate import MigrationError


def _known_errors() -> tuple[type[BaseException], ...]:
    from coaching_pipeline.gong.errors import GongError
    from coaching_pipeline.knowledge.errors import KnowledgeBaseError, RubricError
    from coaching_pipeline.runner.runs import PipelineRunError

    return (SettingsError, MigrationError, GongError, RubricError, KnowledgeBaseError, PipelineRunError)


KNOWN_ERRORS = _known_errors()
