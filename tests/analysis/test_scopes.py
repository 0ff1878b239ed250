"""Which calls are skipped as internal, and why; COACHING_ANALYZE_SCOPES is read and checked once."""

from __future__ import annotations

import pytest

from coaching_pipeline.analysis.engine.scopes import call_scope, skip_for
from coaching_pipeline.settings import DEFAULT_ANALYZE_SCOPES, Settings, SettingsError, load_settings


@pytest.mark.parametrize(
    ("gong_scope", "affiliations", "expected"),
    [
        ("Internal", ["Internal", "External"], ("Internal", "internal_scope")),
        ("External", ["Internal", "Internal"], ("Internal", "no_external_participant")),
        (None, ["Internal"], ("Internal", "no_external_participant")),
        ("External", ["Internal", "External"], ("External", "excluded_scope")),
        ("Unknown", ["Internal", "Unknown"], ("Unknown", "excluded_scope")),
        ("unknown", [], ("Unknown", "excluded_scope")),
        (None, [], ("Unknown", "excluded_scope")),
    ],
)
def test_call_scope_is_internal_by_gong_scope_or_all_internal_parties(
    gong_scope: str | None, affiliations: list[str], expected: tuple[str, str]
) -> None:
    assert call_scope(gong_scope, affiliations) == expected


def test_skip_for_skips_internal_calls_by_default() -> None:
    skip = skip_for("Internal", ["Internal"], DEFAULT_ANALYZE_SCOPES)
    assert skip is not None and (skip.scope, skip.reason) == ("Internal", "internal_scope")
    assert skip_for("External", ["Internal", "External"], DEFAULT_ANALYZE_SCOPES) is None
    assert skip_for(None, ["Internal", "Unknown"], DEFAULT_ANALYZE_SCOPES) is None


def test_skip_for_analyses_every_scope_the_setting_names() -> None:
    assert skip_for("Internal", ["Internal"], {"Internal", "External", "Unknown"}) is None
    assert skip_for("Unknown", [], {"External"}) is not None


def test_settings_read_analyze_scopes_from_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHING_ANALYZE_SCOPES", " internal, External ")
    assert load_settings().coaching_analyze_scopes == {"Internal", "External"}
    monkeypatch.setenv("COACHING_ANALYZE_SCOPES", "")
    assert load_settings().coaching_analyze_scopes == DEFAULT_ANALYZE_SCOPES
    assert Settings().coaching_use_batches == "auto"


def test_settings_reject_a_scope_gong_does_not_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHING_ANALYZE_SCOPES", "External,Customer")
    with pytest.raises(SettingsError, match="COACHING_ANALYZE_SCOPES=.*'Customer'"):
        load_settings()
