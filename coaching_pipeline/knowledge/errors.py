"""Errors for rubric and knowledge-base files that name the file, the line or field, and what to do next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError

import coaching_pipeline

_SCALARS = (str, int, float, bool, date, type(None))


def repo_root() -> Path:
    """The checkout that holds rubrics/ and kb/, found from the package so it works from any directory."""
    return Path(coaching_pipeline.__file__).resolve().parents[1]


def display_path(path: Path) -> str:
    """Repo-relative when possible, so messages read `rubrics/discovery/v1.yaml` on every machine."""
    resolved = path.resolve()
    for base in (repo_root(), Path.cwd()):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return path.as_posix()


def format_loc(loc: Sequence[int | str]) -> str:
    """('criteria', 2, 'weight') -> 'criteria[2].weight', the way people point at a spot in a YAML file."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: dict[str, Any]) -> str:
    """pydantic's message, minus its 'Value error,' prefix, plus the offending value when it is short."""
    if error["type"] == "extra_forbidden":
        return "unknown field (check the spelling against the README)"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] != "missing" and isinstance(value, _SCALARS) and len(repr(value)) <= 60:
        message += f" (got {value!r})"
    return message


class KnowledgeFileError(ValueError):
    """A rubric or KB file (or the lock, or the warehouse) disagrees with what the pipeline requires."""

    def __init__(
        self,
        path: Path | str | None,
        field: str | None,
        message: str,
        *,
        line: int | None = None,
        others: Sequence[tuple[str | None, str]] = (),
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.field = field
        self.message = message
        self.line = line
        self.others = list(others)
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        """Survive pickling (multiprocess executors) despite the keyword-rich constructor."""
        return (_rebuild, (type(self), self.path, self.field, self.message, self.line, self.others))

    def _render(self) -> str:
        where = display_path(self.path) if self.path is not None else ""
        if self.line is not None:
            where = f"{where}:{self.line}"
        lines = [(self.field, self.message), *self.others]
        return "\n".join(": ".join(part for part in (where, field, msg) if part) for field, msg in lines)

    @classmethod
    def from_validation(cls, path: Path, exc: ValidationError) -> Self:
        """Every schema problem in the file, the first as headline, so one edit-run cycle fixes them all."""
        issues = [(format_loc(err["loc"]) or None, _message(err)) for err in exc.errors(include_url=False)]
        (field, message), *others = issues
        return cls(path, field, message, others=others)


def _rebuild(
    cls: type[KnowledgeFileError],
    path: Path | None,
    field: str | None,
    message: str,
    line: int | None,
    others: list[tuple[str | None, str]],
) -> KnowledgeFileError:
    return cls(path, field, message, line=line, others=others)


class RubricError(KnowledgeFileError):
    """A rubric file is invalid, edited after release, not yet released, or conflicts with the warehouse."""


class KnowledgeBaseError(KnowledgeFileError):
    """A knowledge-base document is missing its front matter, has a bad or unknown field, or has no body."""
