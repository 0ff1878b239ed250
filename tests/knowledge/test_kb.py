"""Knowledge-base documents load from front matter + markdown, and broken ones name the file and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coaching_pipeline.knowledge.kb import KnowledgeBaseError, kb_folder, load_kb, load_kb_file
from coaching_pipeline.settings import get_settings

GOOD_FRONT_MATTER = "product: Prefect Cloud\nversion: v1\nupdated: 2026-07-27\ntitle: Retries\n"


def _write(folder: Path, front_matter: str, body: str = "# Retries\n\nRetries recover transient failures.\n") -> Path:
    path = folder / "retries.md"
    path.write_text(f"---\n{front_matter}---\n{body}", encoding="utf-8")
    return path


def test_load_kb_shipped_documents() -> None:
    documents = {d.document_id: d for d in load_kb()}
    assert set(documents) == {"prefect_features", "horizon_features", "competitive_positioning"}
    assert "work pools" in documents["prefect_features"].terms
    assert "self-built MCP gateways" in documents["competitive_positioning"].competitors
    assert all("Example content" in d.body for d in documents.values())


def test_load_kb_file_parses_front_matter(tmp_path: Path) -> None:
    document = load_kb_file(_write(tmp_path, GOOD_FRONT_MATTER + "terms: [retries]\n"))
    assert document.document_id == "retries"
    assert document.updated == date(2026, 7, 27)
    assert document.terms == ["retries"]
    assert document.body.startswith("# Retries")


def test_load_kb_file_missing_field_names_file_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_FRONT_MATTER.replace("updated: 2026-07-27\n", ""))
    with pytest.raises(KnowledgeBaseError, match=r"retries\.md: updated: Field required"):
        load_kb_file(path)


def test_load_kb_file_bad_date_names_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_FRONT_MATTER.replace("2026-07-27", "2026-13-45"))
    with pytest.raises(KnowledgeBaseError, match=r"retries\.md: updated: .*date.*'2026-13-45'"):
        load_kb_file(path)


def test_load_kb_file_unknown_field_names_it(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_FRONT_MATTER + "owner: sales-enablement\n")
    with pytest.raises(KnowledgeBaseError, match=r"retries\.md: owner: unknown front-matter field"):
        load_kb_file(path)


def test_load_kb_file_missing_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "retries.md"
    path.write_text("# Retries\n\nNo front matter here.\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"retries\.md: front matter: missing YAML front matter"):
        load_kb_file(path)


def test_load_kb_file_empty_body(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_FRONT_MATTER, body="\n  \n")
    with pytest.raises(KnowledgeBaseError, match=r"retries\.md: body: the document has no body"):
        load_kb_file(path)


def test_load_kb_file_yaml_error_names_file_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_FRONT_MATTER + "terms: [retries\n")
    with pytest.raises(KnowledgeBaseError, match=r"retries\.md:\d+: invalid YAML"):
        load_kb_file(path)


def test_load_kb_skips_readme(kb_dir: Path) -> None:
    assert "README" not in {d.document_id for d in load_kb(kb_dir)}
    assert (kb_dir / "README.md").exists()


def test_kb_folder_reads_environment(kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHING_KB_DIR", str(kb_dir))
    get_settings.cache_clear()
    try:
        assert kb_folder() == kb_dir
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
