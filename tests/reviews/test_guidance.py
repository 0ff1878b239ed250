"""The reviews state Gong's guidance with the same thresholds the marts apply (dbt_project.yml vars)."""

from __future__ import annotations

from pathlib import Path

import yaml

from coaching_pipeline.reviews import guidance

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project" / "dbt_project.yml"


def test_guidance_matches_the_dbt_vars() -> None:
    variables = yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8"))["vars"]
    assert variables["talk_ratio_max"] == guidance.TALK_RATIO_MAX
    assert variables["longest_monologue_max_seconds"] == guidance.LONGEST_MONOLOGUE_MAX_SECONDS
    assert variables["discovery_questions_min"] == guidance.DISCOVERY_QUESTIONS_MIN
    assert variables["discovery_questions_max"] == guidance.DISCOVERY_QUESTIONS_MAX
    assert variables["interactivity_min"] == guidance.INTERACTIVITY_MIN
    assert variables["patience_min_seconds"] == guidance.PATIENCE_MIN_SECONDS
    assert variables["patience_max_seconds"] == guidance.PATIENCE_MAX_SECONDS
