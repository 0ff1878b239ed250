"""A strict YAML reader for rubric and KB files: no silent duplicate keys, dates left to pydantic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from coaching_pipeline.knowledge.errors import KnowledgeFileError

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and keeps every mapping key a string.

    Duplicate keys would let the second `weight:` silently win; int keys (`1:` under anchors) would not match
    the schema's string aliases; YAML timestamps would turn `2026-13-01` into a parser crash instead of a
    readable field error, so pydantic parses dates instead.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[str, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                continue
            if key in seen:
                raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        mapping = super().construct_mapping(node, deep=deep)
        return {key if isinstance(key, str) else str(key): value for key, value in mapping.items()}


def parse_yaml(text: str, path: Path, error: type[KnowledgeFileError], *, first_line: int = 1) -> dict[str, Any]:
    """Parse one YAML mapping; syntax errors name the file and line (first_line offsets front matter)."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        problem = ": ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise error(path, None, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise error(path, None, f"invalid YAML: {exc}") from None
    if data is None:
        raise error(path, None, "the file holds no YAML mapping (is it empty?)")
    if not isinstance(data, dict):
        raise error(path, None, f"expected a mapping of fields at the top level, got {type(data).__name__}")
    return data


def read_text(path: Path, error: type[KnowledgeFileError]) -> str:
    """Read UTF-8, turning a missing or undecodable file into the caller's error type."""
    try:
        return path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        raise error(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, None, f"cannot read the file: {exc}") from None
