"""Role, team and call-type derivation from Gong's titles and manager chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching_pipeline.ingestion.classify import (
    call_type_from_title,
    load_team_overrides,
    role_from_title,
    team_for,
)


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Account Executive", "AE"),
        ("Senior Account Executive", "AE"),
        ("Solutions Engineer", "SE"),
        ("Customer Success Manager", "CSM"),
        ("Sales Manager, Enterprise", "MANAGER"),
        ("VP of Sales", "MANAGER"),
        ("Recruiter", "OTHER"),
        (None, "OTHER"),
    ],
)
def test_role_from_title_maps_sales_titles(title: str | None, role: str) -> None:
    assert role_from_title(title) == role


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Northwind <> Prefect | Discovery", "discovery"),
        ("Acme | Technical Deep Dive", "technical_deep_dive"),
        ("Acme | Demo", "demo"),
        ("Acme | Renewal", "renewal"),
        ("Acme | QBR", "qbr"),
        ("Weekly sync", "other"),
    ],
)
def test_call_type_from_title(title: str, kind: str) -> None:
    assert call_type_from_title(title) == kind


def test_team_for_uses_nearest_managers_title_suffix() -> None:
    vp = {"id": "1", "title": "VP of Sales", "managerId": None}
    manager = {"id": "2", "title": "Sales Manager, Mid-Market", "managerId": "1"}
    rep = {"id": "3", "title": "Account Executive", "managerId": "2"}
    by_id = {u["id"]: u for u in (vp, manager, rep)}
    assert team_for(rep, by_id, {}) == "Mid-Market"
    assert team_for(manager, by_id, {}) == "Mid-Market"


def test_team_for_prefers_override_file(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text("ana@example.com: Strategic\n", encoding="utf-8")
    rep = {"id": "3", "title": "Account Executive", "managerId": None, "emailAddress": "Ana@example.com"}
    assert team_for(rep, {"3": rep}, load_team_overrides(path)) == "Strategic"


def test_load_team_overrides_rejects_non_mapping(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping"):
        load_team_overrides(path)
