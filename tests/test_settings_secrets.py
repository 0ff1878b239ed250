"""Secrets come from the environment or from the file its *_FILE variable names, and never show when printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching_pipeline.defs.resources import build_resources
from coaching_pipeline.settings import Settings, SettingsError, get_settings, load_settings


def test_settings_read_a_secret_from_its_file(tmp_path: Path) -> None:
    path = tmp_path / "anthropic"
    path.write_text("sk-from-file\n")
    settings = Settings(anthropic_api_key_file=path)
    assert settings.anthropic_api_key is not None
    assert settings.anthropic_api_key.get_secret_value() == "sk-from-file"
    assert "sk-from-file" not in repr(settings) and "sk-from-file" not in str(settings)


def test_settings_refuse_a_secret_and_its_file_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret"
    path.write_text("from-file")
    monkeypatch.setenv("GONG_WEBHOOK_SECRET", "from-env-VALUE")
    monkeypatch.setenv("GONG_WEBHOOK_SECRET_FILE", str(path))
    with pytest.raises(SettingsError, match="GONG_WEBHOOK_SECRET or GONG_WEBHOOK_SECRET_FILE") as caught:
        load_settings()
    assert "from-env-VALUE" not in str(caught.value) and "from-file" not in str(caught.value)


def test_settings_name_a_missing_secret_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONG_ACCESS_KEY_SECRET_FILE", "/nonexistent/gong-secret")
    with pytest.raises(SettingsError, match="GONG_ACCESS_KEY_SECRET_FILE=.*: no such file"):
        load_settings()


def test_settings_blank_redaction_means_everything_and_off_means_nothing() -> None:
    assert Settings(coaching_redaction="").redaction_kinds == {"email", "phone", "card", "name"}
    assert Settings(coaching_redaction="off").redaction_kinds == frozenset()


def test_resources_keep_file_secrets_out_of_their_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "key"
    path.write_text("sk-file-only")
    monkeypatch.setenv("ANTHROPIC_API_KEY_FILE", str(path))
    get_settings.cache_clear()
    try:
        analyzer = build_resources()["analyzer"]
        assert analyzer.anthropic_api_key is None
        assert analyzer.analyzer().kind == "claude"
    finally:
        monkeypatch.delenv("ANTHROPIC_API_KEY_FILE")
        get_settings.cache_clear()
