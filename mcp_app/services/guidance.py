"""Gong's published interaction guidance, read from the dbt project's vars (the marts' one source for it)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel

from coaching_pipeline.knowledge.errors import repo_root


class Habit(BaseModel):
    """One interaction habit: the rep's average over the benchmark window against Gong's guidance."""

    habit: str
    rep_average: float | None
    guidance: str
    share_of_calls_in_guidance: float | None


@lru_cache(maxsize=1)
def guidance_vars() -> dict[str, Any]:
    text = (repo_root() / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["vars"])


def habits(row: dict[str, Any]) -> list[Habit]:
    """marts.rep_interaction_stats as habits; the shares in guidance are the mart's own."""
    v = guidance_vars()
    table = (
        (
            "talk ratio",
            "avg_rep_talk_ratio",
            f"at most {v['talk_ratio_max']:.0%} (target {v['talk_ratio_target']:.0%})",
            "share_talk_ratio_in_guidance",
        ),
        (
            "longest monologue (s)",
            "avg_longest_monologue_seconds",
            f"at most {v['longest_monologue_max_seconds']} s",
            "share_monologue_in_guidance",
        ),
        (
            "questions on discovery calls",
            "avg_discovery_question_count",
            f"{v['discovery_questions_min']}-{v['discovery_questions_max']}",
            "share_question_count_in_guidance",
        ),
        ("interactivity", "avg_interactivity", f"at least {v['interactivity_min']}", "share_interactivity_in_guidance"),
        (
            "patience (s)",
            "avg_patience_seconds",
            f"{v['patience_min_seconds']}-{v['patience_max_seconds']} s",
            "share_patience_in_guidance",
        ),
    )
    return [
        Habit(
            habit=name, rep_average=_num(row.get(avg)), guidance=text, share_of_calls_in_guidance=_num(row.get(share))
        )
        for name, avg, text, share in table
    ]


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
