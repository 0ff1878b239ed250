"""The product knowledge base: kb/*.md documents with YAML front matter, validated into KnowledgeDocument."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from coaching_pipeline.knowledge.errors import KnowledgeBaseError, repo_root
from coaching_pipeline.knowledge.models import KnowledgeDocument
from coaching_pipeline.knowledge.yamlfile import parse_yaml, read_text
from coaching_pipeline.settings import get_settings

__all__ = ["FRONT_MATTER_FIELDS", "KnowledgeBaseError", "kb_folder", "load_kb", "load_kb_file"]

FRONT_MATTER_FIELDS = ("product", "version", "updated", "title", "terms", "competitors")
_REQUIRED = ("product", "version", "updated", "title")
_FENCE = "---"


def kb_folder() -> Path:
    """COACHING_KB_DIR when set, else the repo's kb/."""
    configured = get_settings().coaching_kb_dir
    return configured if configured else repo_root() / "kb"


def _split(path: Path, text: str) -> tuple[str, str]:
    """Front matter and body; the front matter sits between a first line '---' and the next '---' line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise KnowledgeBaseError(
            path,
            "front matter",
            f"missing YAML front matter: start the file with a '---' line, then {', '.join(_REQUIRED)} "
            "(and optionally terms, competitors), then a closing '---' line",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == _FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    raise KnowledgeBaseError(path, "front matter", "the front matter is never closed: add a '---' line after it")


def load_kb_file(path: Path | str) -> KnowledgeDocument:
    """One document; its id is the file stem, so links and the warehouse key stay stable across edits."""
    path = Path(path)
    front, body = _split(path, read_text(path, KnowledgeBaseError))
    fields = parse_yaml(front, path, KnowledgeBaseError, first_line=2) if front.strip() else {}
    unknown = sorted(set(fields) - set(FRONT_MATTER_FIELDS))
    if unknown:
        raise KnowledgeBaseError(
            path, unknown[0], f"unknown front-matter field; allowed: {', '.join(FRONT_MATTER_FIELDS)}"
        )
    if not body.strip():
        raise KnowledgeBaseError(path, "body", "the document has no body: write it below the closing '---'")
    try:
        return KnowledgeDocument.model_validate({**fields, "document_id": path.stem, "body": body.strip()})
    except ValidationError as exc:
        raise KnowledgeBaseError.from_validation(path, exc) from None


def load_kb(folder: Path | str | None = None) -> list[KnowledgeDocument]:
    """Every document in the folder (README.md is documentation, not knowledge), sorted by id."""
    folder = Path(folder) if folder else kb_folder()
    if not folder.is_dir():
        raise KnowledgeBaseError(folder, None, "knowledge-base folder not found (set COACHING_KB_DIR or restore kb/)")
    paths = sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")
    if not paths:
        raise KnowledgeBaseError(folder, None, "no knowledge-base documents (*.md) found")
    return [load_kb_file(path) for path in paths]
