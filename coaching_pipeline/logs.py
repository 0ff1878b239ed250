"""Structured logs: the run and call a line is about travel with it (contextvars), as JSON when asked.

`log_context(run_id=..., call_id=...)` sets the ids for the code inside it; a filter on the handler copies them
onto every record, so `log.info(...)` anywhere below needs no extra arguments. Threads do not inherit
contextvars: code that hands work to a pool sets the context inside the task."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

CONTEXT_FIELDS = ("run_id", "call_id", "dimension")
_context: ContextVar[dict[str, str]] = ContextVar("coaching_log_context", default={})  # noqa: B039 (never mutated)
_HANDLER_NAME = "coaching_structured"


@contextmanager
def log_context(**ids: str | None) -> Iterator[None]:
    """Add ids (run_id, call_id, dimension) to every log record made inside the block."""
    token = _context.set({**_context.get(), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Copies the current ids onto the record (None where unknown), so formatters can name them."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = _context.get()
        for name in CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, ids.get(name))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the ids that are known."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **{name: value for name in CONTEXT_FIELDS if (value := getattr(record, name, None)) is not None},
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [run=%(run_id)s call=%(call_id)s]: %(message)s"


def configure_logging(fmt: Literal["text", "json"], logger_name: str = "coaching_pipeline") -> logging.Handler:
    """Give the package's logger one stderr handler in `fmt` that carries the ids; calling again replaces it."""
    logger = logging.getLogger(logger_name)
    for existing in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(existing)
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return handler
