"""Gong's published interaction guidance, as the marts apply it (dbt_project.yml vars; a test keeps them equal)."""

from __future__ import annotations

from typing import NamedTuple

TALK_RATIO_MAX = 0.65
LONGEST_MONOLOGUE_MAX_SECONDS = 150
DISCOVERY_QUESTIONS_MIN = 11
DISCOVERY_QUESTIONS_MAX = 14
INTERACTIVITY_MIN = 5
PATIENCE_MIN_SECONDS = 0.6
PATIENCE_MAX_SECONDS = 1.0


class Guidance(NamedTuple):
    key: str
    label: str
    guidance: str
    unit: str


INTERACTION_GUIDANCE = (
    Guidance("talk_ratio", "Talk ratio", f"at most {TALK_RATIO_MAX:.0%}", "%"),
    Guidance("longest_monologue_seconds", "Longest monologue", f"at most {LONGEST_MONOLOGUE_MAX_SECONDS} s", "s"),
    Guidance(
        "discovery_question_count",
        "Questions asked (discovery calls)",
        f"{DISCOVERY_QUESTIONS_MIN}-{DISCOVERY_QUESTIONS_MAX}",
        "",
    ),
    Guidance("interactivity", "Interactivity (0-10)", f"at least {INTERACTIVITY_MIN}", ""),
    Guidance("patience_seconds", "Patience", f"{PATIENCE_MIN_SECONDS}-{PATIENCE_MAX_SECONDS} s", "s"),
)
