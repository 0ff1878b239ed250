"""Rubric files load, validate with file-and-field errors, and released versions stay immutable."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from coaching_pipeline.knowledge.models import Dimension, RepRole
from coaching_pipeline.knowledge.rubrics import (
    RubricError,
    available_versions,
    load_released_rubrics,
    load_rubric,
    load_rubric_file,
    load_rubrics,
    release_rubric,
    rubrics_folder,
)
from coaching_pipeline.settings import get_settings


def _lock(folder: Path) -> dict[str, dict[str, str]]:
    return json.loads((folder / "versions.lock").read_text(encoding="utf-8"))


def test_load_rubrics_shipped_files_match_lock() -> None:
    rubrics = load_rubrics()
    lock = _lock(rubrics_folder())
    assert set(rubrics) == set(Dimension)
    for dimension, rubric in rubrics.items():
        assert rubric.version == "v1"
        assert lock[dimension]["v1"] == rubric.content_hash


def test_load_rubrics_shipped_criteria_cover_every_role() -> None:
    for rubric in load_rubrics().values():
        assert 4 <= len(rubric.criteria) <= 6
        for role in RepRole:
            assert rubric.criteria_for(role), f"{rubric.dimension} has no criterion for {role}"
        for criterion in rubric.criteria:
            assert 2 <= len(criterion.drills) <= 3
            assert criterion.signals or rubric.dimension == Dimension.ENGAGEMENT


def test_load_rubric_file_bad_weight_names_file_and_field(write_rubric: Callable[..., Path]) -> None:
    path = write_rubric(lambda data: data["criteria"][2].update(weight=-0.1))
    with pytest.raises(RubricError) as caught:
        load_rubric_file(path)
    assert "discovery/v2.yaml: criteria[2].weight: Input should be greater than 0" in str(caught.value)
    assert caught.value.field == "criteria[2].weight"


def test_load_rubric_file_missing_anchor_names_field(write_rubric: Callable[..., Path]) -> None:
    path = write_rubric(lambda data: data["criteria"][0]["anchors"].pop("3"))
    with pytest.raises(RubricError, match=r"discovery/v2\.yaml: criteria\[0\]\.anchors\.3: Field required"):
        load_rubric_file(path)


def test_load_rubric_file_unknown_role_names_field(write_rubric: Callable[..., Path]) -> None:
    path = write_rubric(lambda data: data["criteria"][1].update(applies_to=["AE", "VP"]))
    with pytest.raises(RubricError, match=r"v2\.yaml: criteria\[1\]\.applies_to\[1\]: .*'SE', 'AE' or 'CSM'"):
        load_rubric_file(path)


def test_load_rubric_file_weights_not_summing_to_one(write_rubric: Callable[..., Path]) -> None:
    path = write_rubric(lambda data: data["criteria"][0].update(weight=0.5))
    with pytest.raises(RubricError, match=r"v2\.yaml: criteria: criterion weights must sum to 1\.0, got 1\.350"):
        load_rubric_file(path)


def test_load_rubric_file_yaml_syntax_error_names_line(rubrics_dir: Path) -> None:
    path = rubrics_dir / "discovery" / "v2.yaml"
    path.write_text("dimension: discovery\nversion: v2\ntitle: [unclosed\nmethod: SPICED\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"discovery/v2\.yaml:4: invalid YAML"):
        load_rubric_file(path)


def test_load_rubric_file_duplicate_key_refused(rubrics_dir: Path) -> None:
    path = rubrics_dir / "discovery" / "v2.yaml"
    path.write_text("dimension: discovery\nversion: v2\nversion: v3\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"v2\.yaml:3: invalid YAML: duplicate key 'version'"):
        load_rubric_file(path)


def test_load_rubric_file_version_must_match_file_name(write_rubric: Callable[..., Path]) -> None:
    path = write_rubric(lambda data: data.update(version="v3"))
    with pytest.raises(RubricError, match=r"v2\.yaml: version: the file is named v2\.yaml but says 'v3'"):
        load_rubric_file(path)


def test_load_rubric_edited_release_fails(rubrics_dir: Path) -> None:
    path = rubrics_dir / "engagement" / "v1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Engagement", "title: Engaged"), "utf-8")
    with pytest.raises(RubricError, match=r"engagement/v1\.yaml: .*must never change.*new version"):
        load_rubric(Dimension.ENGAGEMENT, folder=rubrics_dir)


def test_load_rubric_file_edited_release_fails(rubrics_dir: Path) -> None:
    path = rubrics_dir / "discovery" / "v1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 0.15", "weight: 0.150001", 1), "utf-8")
    with pytest.raises(RubricError, match="must never change"):
        load_rubric_file(path)


def test_load_rubric_file_whitespace_edit_keeps_release(rubrics_dir: Path) -> None:
    path = rubrics_dir / "discovery" / "v1.yaml"
    path.write_text("# reformatted\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_rubric_file(path).version == "v1"


def test_load_rubrics_unreleased_version_refused(write_rubric: Callable[..., Path], rubrics_dir: Path) -> None:
    write_rubric(lambda data: data.update(title="Discovery, sharper"))
    with pytest.raises(RubricError, match=r"discovery/v2\.yaml: discovery v2 is not released.*release_rubric"):
        load_rubrics(rubrics_dir)


def test_release_rubric_makes_v2_current(write_rubric: Callable[..., Path], rubrics_dir: Path) -> None:
    write_rubric(lambda data: data.update(title="Discovery, sharper"))
    content_hash = release_rubric("discovery", "v2", folder=rubrics_dir)
    rubrics = load_rubrics(rubrics_dir)
    assert rubrics[Dimension.DISCOVERY].version == "v2"
    assert rubrics[Dimension.DISCOVERY].content_hash == content_hash
    assert {d: r.version for d, r in rubrics.items() if d != Dimension.DISCOVERY} == {
        d: "v1" for d in Dimension if d != Dimension.DISCOVERY
    }
    assert load_rubric("discovery", "v1", rubrics_dir).title == "Discovery"
    assert set(_lock(rubrics_dir)["discovery"]) == {"v1", "v2"}


def test_release_rubric_refuses_changed_released_version(rubrics_dir: Path) -> None:
    path = rubrics_dir / "discovery" / "v1.yaml"
    before = _lock(rubrics_dir)
    path.write_text(path.read_text(encoding="utf-8").replace("title: Discovery", "title: Disco"), "utf-8")
    with pytest.raises(RubricError, match="must never change"):
        release_rubric("discovery", "v1", folder=rubrics_dir)
    assert _lock(rubrics_dir) == before


def test_load_released_rubrics_keeps_old_versions(write_rubric: Callable[..., Path], rubrics_dir: Path) -> None:
    write_rubric(lambda data: data.update(title="Discovery, sharper"))
    release_rubric("discovery", "v2", folder=rubrics_dir)
    versions = sorted((r.dimension.value, r.version) for r in load_released_rubrics(rubrics_dir))
    assert ("discovery", "v1") in versions and ("discovery", "v2") in versions
    assert len(versions) == 5


def test_load_rubrics_missing_released_file_fails(rubrics_dir: Path) -> None:
    (rubrics_dir / "objection_handling" / "v1.yaml").unlink()
    with pytest.raises(RubricError, match=r"objection_handling/v1\.yaml: .*released .* file is missing"):
        load_rubrics(rubrics_dir)


def test_load_rubrics_unknown_dimension_folder_fails(rubrics_dir: Path) -> None:
    (rubrics_dir / "discovry").mkdir()
    with pytest.raises(RubricError, match=r"discovry: unknown dimension folder"):
        load_rubrics(rubrics_dir)


def test_available_versions_sorts_numerically(rubrics_dir: Path) -> None:
    for version in ("v2", "v10", "v9"):
        (rubrics_dir / "engagement" / f"{version}.yaml").write_text("{}", encoding="utf-8")
    assert available_versions("engagement", rubrics_dir) == ["v1", "v2", "v9", "v10"]


def test_rubrics_folder_reads_environment(rubrics_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHING_RUBRICS_DIR", str(rubrics_dir))
    get_settings.cache_clear()
    try:
        assert rubrics_folder() == rubrics_dir
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_rubric_error_survives_pickling() -> None:
    error = RubricError("rubrics/discovery/v1.yaml", "criteria[2].weight", "Input should be greater than 0")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.field) == (RubricError, str(error), "criteria[2].weight")
