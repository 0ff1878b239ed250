"""One call's conversation, planned from the rep's style and performed scene by scene for its kind."""

from __future__ import annotations

import random
from dataclasses import dataclass

from coaching_sandbox.corpus.profiles import Style
from coaching_sandbox.corpus.scenes import Scene
from coaching_sandbox.corpus.script import Ask, Body, Objection, ask

# Discovery order when questions are few: the first areas get asked (situation and pain before decision).
AREAS = ("situation", "pain", "impact", "timing", "decision", "pain", "situation", "impact", "decision", "timing")
OTHER_QUESTIONS = {
    "Demo": ("recap", 2.0),
    "Technical Deep Dive": ("technical", 3.0),
    "Renewal": ("account", 4.0),
    "QBR": ("account", 5.0),
}


@dataclass(frozen=True)
class CallPlan:
    kind: str
    product: str
    duration_ms: int
    asks: tuple[Ask, ...]
    checkins: int
    objection: Objection | None
    clear_close: bool


def _objection(rng: random.Random, style: Style, kind: str, product: str) -> Objection | None:
    if rng.random() >= style.objection_rate:
        return None
    price = kind in ("Renewal", "QBR") and rng.random() < style.price_objections
    key = "price" if price else product
    listen, explore, evidence, confirm = (rng.random() < p for p in style.laer)
    return Objection(
        f"objection.{key}",
        f"laer.respond.{key}",
        "Pricing" if price else "Competition",
        listen,
        explore,
        evidence,
        confirm,
    )


def _discovery_asks(rng: random.Random, count: int, followup_share: float) -> list[Ask]:
    follow = min(round(count * followup_share), count // 2)
    core = [ask(AREAS[i % len(AREAS)]) for i in range(count - follow)]
    after = sorted(rng.sample(range(len(core)), follow)) if follow else []
    asks: list[Ask] = []
    for index, question in enumerate(core):
        asks.append(question)
        asks.extend(ask("followup") for _ in range(after.count(index)))
    return asks


def plan_call(rng: random.Random, kind: str, product: str, style: Style, minutes: float) -> CallPlan:
    """Decide the questions, objection and close before any text, so counts follow the style exactly."""
    objection = _objection(rng, style, kind, product)
    laer_questions = objection.questions if objection else 0
    if kind == "Discovery":
        wanted = max(style.discovery_questions + (rng.randint(-1, 1) if style.discovery_questions else 0), 0)
        checkins = min(style.checkins, max(wanted - laer_questions, 0) // 4)
        count = max(wanted - checkins - laer_questions, 0) if style.asks_discovery else 0
        asks = _discovery_asks(rng, count, style.followup_share)
    else:
        area, base = OTHER_QUESTIONS[kind]
        count = round(base * style.question_scale + rng.uniform(-0.7, 0.7)) if style.asks_discovery else 0
        asks = [ask(area) for _ in range(max(count, 0))]
        checkins = style.checkins + (rng.randint(0, 1) if style.checkins else 0)
    clear = rng.random() < style.next_steps
    return CallPlan(kind, product, int(minutes * 60_000), tuple(asks), checkins, objection, clear)


def perform(scene: Scene, plan: CallPlan) -> None:
    product, end, style = plan.product, plan.duration_ms, scene.style
    pitch = ("rep.pitch." + product,)
    demo = ("rep.demo." + product, "rep.pitch." + product)
    first, second = plan.checkins // 2, plan.checkins - plan.checkins // 2
    if plan.kind == "Discovery":
        if style.asks_discovery:
            scene.opening("rep.agenda.discovery")
            scene.body(Body(int(end * 0.58), pitch, "Business Challenges", plan.asks, lead="rep.bridge"))
        else:
            scene.opening("rep.agenda.pitch")
            scene.body(Body(int(end * 0.58), pitch, "Product", replies=("a.situation", "a.pain", "cust.comment")))
        _middle(
            scene,
            plan,
            Body(int(end * 0.74), pitch, "Product", checkins=first, monologues=True),
            Body(int(end * 0.96), pitch, "Product", checkins=second, monologues=True),
        )
    elif plan.kind == "Demo":
        scene.opening("rep.agenda.demo")
        scene.body(Body(int(end * 0.12), pitch, "Business Challenges", plan.asks))
        _middle(
            scene,
            plan,
            Body(
                int(end * 0.55),
                demo,
                "Product Demo",
                checkins=first,
                customer_asks=0.3,
                colleague=0.25,
                monologues=True,
            ),
            Body(
                int(end * 0.96),
                demo,
                "Product Demo",
                checkins=second,
                customer_asks=0.3,
                colleague=0.25,
                monologues=True,
            ),
        )
    elif plan.kind == "Technical Deep Dive":
        deep = ("rep.deepdive." + product, "rep.pitch." + product)
        scene.opening("rep.agenda.deepdive")
        scene.body(Body(int(end * 0.25), deep, "Architecture", plan.asks, customer_asks=0.4))
        _middle(
            scene,
            plan,
            Body(
                int(end * 0.6), deep, "Architecture", checkins=first, customer_asks=0.5, colleague=0.3, monologues=True
            ),
            Body(
                int(end * 0.96),
                deep,
                "Architecture",
                checkins=second,
                customer_asks=0.5,
                colleague=0.3,
                monologues=True,
            ),
        )
    else:
        scene.opening("rep.agenda.renewal" if plan.kind == "Renewal" else "rep.agenda.qbr")
        scene.body(Body(int(end * 0.33), ("rep.review", "rep.review", *pitch), "Usage Review"))
        scene.body(Body(int(end * 0.6), ("rep.review", *pitch), "Goals", plan.asks, lead="rep.bridge"))
        _middle(
            scene,
            plan,
            Body(int(end * 0.75), ("rep.roadmap", *pitch), "Roadmap", checkins=first),
            Body(int(end * 0.96), ("rep.roadmap", *pitch), "Roadmap", checkins=second),
        )
    scene.close(clear=plan.clear_close)


def _middle(scene: Scene, plan: CallPlan, before: Body, after: Body) -> None:
    """Two talk bodies with the objection, if any, between them."""
    scene.body(before)
    if plan.objection:
        scene.objection(plan.objection)
    scene.body(after)
