"""rubrics/versions.lock: the content hash of every released (dimension, version), which must never change."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import RootModel, ValidationError

from coaching_pipeline.knowledge.errors import RubricError
from coaching_pipeline.knowledge.models import Dimension

LOCK_FILE = "versions.lock"


class RubricLock(RootModel[dict[Dimension, dict[str, str]]]):
    """dimension -> version -> sha256 of the validated rubric (`Rubric.content_hash`)."""

    def hash_of(self, dimension: Dimension, version: str) -> str | None:
        return self.root.get(dimension, {}).get(version)

    def versions(self, dimension: Dimension) -> list[str]:
        return list(self.root.get(dimension, {}))


def lock_path(folder: Path) -> Path:
    return folder / LOCK_FILE


def read_lock(folder: Path) -> RubricLock:
    """The lock of a rubric folder; a folder without one has released nothing yet."""
    path = lock_path(folder)
    if not path.exists():
        return RubricLock({})
    try:
        return RubricLock.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise RubricError.from_validation(path, exc) from None


def write_lock(folder: Path, lock: RubricLock) -> None:
    """Sorted, indented and replaced atomically, so diffs stay readable and a crash never truncates it."""
    ordered = {
        str(dimension): dict(sorted(versions.items(), key=lambda item: int(item[0].lstrip("v") or 0)))
        for dimension, versions in sorted(lock.root.items())
    }
    text = json.dumps(ordered, indent=2) + "\n"
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".versions.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temp_name, lock_path(folder))


def check_released(path: Path, dimension: Dimension, version: str, content_hash: str, lock: RubricLock) -> None:
    """Refuse unreleased versions and released versions whose content has changed since release."""
    released = lock.hash_of(dimension, version)
    if released is None:
        raise RubricError(
            path,
            None,
            f"{dimension} {version} is not released: validate it, then run "
            f"release_rubric('{dimension}', '{version}') to record its hash in {LOCK_FILE}",
        )
    if released != content_hash:
        raise RubricError(
            path,
            None,
            f"{dimension} {version} was released with hash {released[:12]} but the file now hashes to "
            f"{content_hash[:12]}; released rubrics must never change (scores would silently mean something "
            "else). Revert the edit and put it in a new version: copy the file to the next vN.yaml and run "
            f"release_rubric('{dimension}', '<vN>')",
        )
