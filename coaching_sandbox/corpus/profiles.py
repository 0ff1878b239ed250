"""Rep coaching profiles: how each one talks, asks and handles objections, week by week.

The profile reaches the transcript only through what the rep says and when: talk share, turn lengths,
questions, pauses, objection handling and next steps. Nothing profile-related is written to call metadata.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

PROFILES = ("steady", "improver", "decliner", "monologuer", "no_discovery", "objection_pro")


@dataclass(frozen=True)
class Baseline:
    """Per-rep habits drawn once, so steady reps differ from each other but not from week to week."""

    talk_ratio: float
    questions: int
    followup_share: float
    patience_ms: int
    max_turn_s: float


@dataclass(frozen=True)
class Style:
    talk_ratio: float  # target share of all talk time
    discovery_questions: int  # every rep question on a discovery call (check-ins and LAER asks included)
    question_scale: float  # multiplier on the question count of other call kinds
    followup_share: float  # share of discovery questions that follow up on an answer
    asks_discovery: bool
    checkins: int  # "does that make sense?" style questions per call
    patience_ms: tuple[int, int]  # pause before the rep answers a customer
    max_turn_s: float  # longest ordinary rep turn
    monologue_every_s: float | None  # a 4-8 minute monologue this often during pitches and demos
    objection_rate: float
    price_objections: float  # share of renewal and QBR objections about price rather than a competitor
    laer: tuple[float, float, float, float]  # chance of Listen, Ask, Respond with evidence, Confirm
    next_steps: float  # chance of a clear, concrete close


def draw_baseline(rng: random.Random) -> Baseline:
    return Baseline(
        talk_ratio=rng.uniform(0.44, 0.55),
        questions=rng.randint(9, 13),
        followup_share=rng.uniform(0.2, 0.35),
        patience_ms=rng.randint(650, 950),
        max_turn_s=rng.uniform(60, 110),
    )


def _lerp(a: float, b: float, frac: float) -> float:
    return a + (b - a) * frac


def style_for(profile: str, base: Baseline, frac: float) -> Style:
    """The rep's style in a given week; `frac` runs from 0 (first week) to 1 (last week)."""
    steady = Style(
        talk_ratio=base.talk_ratio,
        discovery_questions=base.questions,
        question_scale=base.questions / 11,
        followup_share=base.followup_share,
        asks_discovery=True,
        checkins=2,
        patience_ms=(base.patience_ms - 150, base.patience_ms + 150),
        max_turn_s=base.max_turn_s,
        monologue_every_s=None,
        objection_rate=0.3,
        price_objections=0.5,
        laer=(0.7, 0.5, 0.7, 0.5),
        next_steps=0.85,
    )
    if profile == "steady":
        return steady
    if profile == "objection_pro":
        return replace(steady, objection_rate=0.85, price_objections=0.0, laer=(1.0, 1.0, 1.0, 1.0))
    if profile == "improver":
        questions = round(_lerp(3, 14, frac))
        return replace(
            steady,
            talk_ratio=_lerp(0.66, 0.44, frac),
            discovery_questions=questions,
            question_scale=questions / 11,
            followup_share=_lerp(0.08, 0.45, frac),
            checkins=round(_lerp(0, 3, frac)),
            patience_ms=(int(_lerp(250, 650, frac)), int(_lerp(450, 950, frac))),
            max_turn_s=_lerp(170, 80, frac),
            laer=(_lerp(0.3, 0.9, frac), _lerp(0.1, 0.8, frac), _lerp(0.4, 0.9, frac), _lerp(0.1, 0.8, frac)),
            next_steps=_lerp(0.3, 0.95, frac),
        )
    if profile == "decliner":
        questions = round(_lerp(13, 3, frac))
        return replace(
            steady,
            talk_ratio=_lerp(0.45, 0.72, frac),
            discovery_questions=questions,
            question_scale=questions / 11,
            followup_share=_lerp(0.35, 0.05, frac),
            checkins=round(_lerp(3, 0, frac)),
            patience_ms=(int(_lerp(700, 150, frac)), int(_lerp(1000, 350, frac))),
            max_turn_s=_lerp(80, 220, frac),
            laer=(_lerp(0.8, 0.2, frac), _lerp(0.6, 0.0, frac), _lerp(0.8, 0.3, frac), _lerp(0.6, 0.0, frac)),
            next_steps=_lerp(0.95, 0.15, frac),
        )
    if profile == "monologuer":
        return replace(
            steady,
            talk_ratio=0.8,
            discovery_questions=3,
            question_scale=0.3,
            followup_share=0.0,
            checkins=0,
            patience_ms=(200, 400),
            max_turn_s=150,
            monologue_every_s=420,
            laer=(0.3, 0.0, 0.4, 0.0),
            next_steps=0.6,
        )
    if profile == "no_discovery":
        return replace(
            steady,
            talk_ratio=0.63,
            discovery_questions=0,
            question_scale=0.0,
            followup_share=0.0,
            asks_discovery=False,
            checkins=1,
            max_turn_s=120,
            laer=(0.5, 0.0, 0.6, 0.0),
            next_steps=0.8,
        )
    raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
