"""Versioned coaching rubrics: rubrics/<dimension>/vN.yaml, validated, and pinned by rubrics/versions.lock."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from coaching_pipeline.knowledge.errors import RubricError, repo_root
from coaching_pipeline.knowledge.lock import LOCK_FILE, check_released, read_lock, write_lock
from coaching_pipeline.knowledge.models import Dimension, Rubric
from coaching_pipeline.knowledge.yamlfile import parse_yaml, read_text
from coaching_pipeline.settings import get_settings

__all__ = [
    "RubricError",
    "available_versions",
    "load_released_rubrics",
    "load_rubric",
    "load_rubric_file",
    "load_rubrics",
    "release_rubric",
    "rubrics_folder",
]

_VERSION_FILE = re.compile(r"^v([1-9]\d*)\.yaml$")
_VERSION = re.compile(r"^v[1-9]\d*$")


def rubrics_folder() -> Path:
    """COACHING_RUBRICS_DIR when set, else the repo's rubrics/."""
    configured = get_settings().coaching_rubrics_dir
    return configured if configured else repo_root() / "rubrics"


def _dimension(value: Dimension | str) -> Dimension:
    try:
        return Dimension(value)
    except ValueError:
        allowed = ", ".join(d.value for d in Dimension)
        raise RubricError(None, "dimension", f"unknown dimension {value!r}; expected one of {allowed}") from None


def _parse(path: Path) -> Rubric:
    """Schema validation plus agreement with the file's place: discovery/v2.yaml must say discovery, v2."""
    data = parse_yaml(read_text(path, RubricError), path, RubricError)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError.from_validation(path, exc) from None
    if _VERSION_FILE.match(path.name) and rubric.version != path.stem:
        raise RubricError(path, "version", f"the file is named {path.name} but says {rubric.version!r}")
    if path.parent.name in {d.value for d in Dimension} and rubric.dimension != path.parent.name:
        raise RubricError(
            path, "dimension", f"the file sits in {path.parent.name}/ but says {rubric.dimension.value!r}"
        )
    return rubric


def load_rubric_file(path: Path | str) -> Rubric:
    """Validate one file, drafts included, so authors can check a new version before releasing it.

    A version already listed in the lock of the folder it sits in must still match its released hash.
    """
    path = Path(path)
    rubric = _parse(path)
    lock = read_lock(path.parent.parent)
    if lock.hash_of(rubric.dimension, rubric.version) is not None:
        check_released(path, rubric.dimension, rubric.version, rubric.content_hash, lock)
    return rubric


def available_versions(dimension: Dimension | str, folder: Path | str | None = None) -> list[str]:
    """Versions on disk, oldest first (v10 after v9); stray YAML names are refused, not skipped."""
    folder = Path(folder) if folder else rubrics_folder()
    directory = folder / _dimension(dimension)
    if not directory.is_dir():
        return []
    numbered: list[tuple[int, str]] = []
    for entry in directory.iterdir():
        match = _VERSION_FILE.match(entry.name)
        if match:
            numbered.append((int(match.group(1)), entry.stem))
        elif entry.suffix in {".yaml", ".yml"}:
            raise RubricError(entry, None, "rubric files must be named vN.yaml (v1.yaml, v2.yaml, ...)")
    return [version for _, version in sorted(numbered)]


def load_rubric(dimension: Dimension | str, version: str | None = None, folder: Path | str | None = None) -> Rubric:
    """One released rubric; version None means the current one (the highest vN present)."""
    folder = Path(folder) if folder else rubrics_folder()
    dimension = _dimension(dimension)
    versions = available_versions(dimension, folder)
    if not versions:
        raise RubricError(folder / dimension, None, f"no rubric for {dimension}: add {dimension}/v1.yaml")
    version = version or versions[-1]
    if not _VERSION.match(version):
        raise RubricError(None, "version", f"expected v1, v2, ..., got {version!r}")
    path = folder / dimension / f"{version}.yaml"
    if version not in versions:
        raise RubricError(path, None, f"no such rubric version; available: {', '.join(versions)}")
    rubric = _parse(path)
    check_released(path, dimension, version, rubric.content_hash, read_lock(folder))
    return rubric


def _check_folder(folder: Path) -> None:
    """Catch what per-dimension loading misses: a misspelt dimension folder, a deleted released file."""
    if not folder.is_dir():
        raise RubricError(folder, None, "rubric folder not found (set COACHING_RUBRICS_DIR or restore rubrics/)")
    known = {d.value for d in Dimension}
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.name.startswith((".", "_")) and entry.name not in known:
            raise RubricError(entry, None, f"unknown dimension folder; expected one of {', '.join(sorted(known))}")
    lock = read_lock(folder)
    for dimension in Dimension:
        for version in lock.versions(dimension):
            if not (folder / dimension / f"{version}.yaml").exists():
                raise RubricError(
                    folder / dimension / f"{version}.yaml",
                    None,
                    f"{dimension} {version} is released in {LOCK_FILE} but its file is missing; "
                    "released versions stay in the repo forever (past scores refer to them)",
                )


def load_rubrics(folder: Path | str | None = None) -> dict[Dimension, Rubric]:
    """The current released rubric of every dimension; any problem anywhere raises before anything is used."""
    folder = Path(folder) if folder else rubrics_folder()
    _check_folder(folder)
    return {dimension: load_rubric(dimension, folder=folder) for dimension in Dimension}


def load_released_rubrics(folder: Path | str | None = None) -> list[Rubric]:
    """Every version of every dimension, so the warehouse keeps the rubrics that past scores refer to."""
    folder = Path(folder) if folder else rubrics_folder()
    _check_folder(folder)
    return [
        load_rubric(dimension, version, folder)
        for dimension in Dimension
        for version in available_versions(dimension, folder)
    ]


def release_rubric(dimension: Dimension | str, version: str, folder: Path | str | None = None) -> str:
    """Record a validated version's hash in the lock, making it loadable (and current if highest).

    Releasing the same content again is a no-op; re-releasing changed content is refused.
    """
    folder = Path(folder) if folder else rubrics_folder()
    dimension = _dimension(dimension)
    path = folder / dimension / f"{version}.yaml"
    if not _VERSION_FILE.match(path.name):
        raise RubricError(None, "version", f"expected v1, v2, ..., got {version!r}")
    rubric = _parse(path)
    lock = read_lock(folder)
    if lock.hash_of(dimension, version) is not None:
        check_released(path, dimension, version, rubric.content_hash, lock)
        return rubric.content_hash
    lock.root.setdefault(dimension, {})[version] = rubric.content_hash
    write_lock(folder, lock)
    return rubric.content_hash
