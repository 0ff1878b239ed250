"""The planned pieces of a call: who is on it, the questions to ask, the objection, the stretches of talk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coaching_sandbox.corpus.speech import Voice

ELABORATION = ("a.situation", "a.pain", "a.followup")


@dataclass(frozen=True)
class Ask:
    """A planned rep question (a `q.*` category) and how long the customer's answer runs."""

    kind: str
    answer_seconds: tuple[float, float]


ANSWER_SECONDS = {
    "situation": (30, 95),
    "pain": (15, 60),
    "impact": (10, 35),
    "timing": (8, 25),
    "decision": (10, 30),
    "followup": (12, 50),
    "checkin": (2, 6),
    "recap": (5, 20),
    "technical": (8, 30),
    "account": (10, 45),
}


def ask(kind: str) -> Ask:
    return Ask(kind, ANSWER_SECONDS[kind])


@dataclass(frozen=True)
class Objection:
    """What the customer objects to and which LAER steps the rep takes."""

    category: str  # objection.cloud | objection.horizon | objection.price
    respond: str  # laer.respond.cloud | laer.respond.horizon | laer.respond.price
    topic: str
    listen: bool
    ask: bool
    evidence: bool
    confirm: bool

    @property
    def questions(self) -> int:
        return int(self.ask) + int(self.confirm)


@dataclass
class Cast:
    rep: Voice
    customers: list[Voice]  # the champion first
    colleague: Voice | None = None
    colleague_role: str | None = None  # SE | AE | CSM


@dataclass
class Body:
    """A stretch of the call until `end_ms`: rep statements from `rep_lines`, customers answering in kind."""

    end_ms: int
    rep_lines: Sequence[str]
    topic: str | None
    asks: Sequence[Ask] = ()
    checkins: int = 0
    lead: str | None = None  # a short first sentence for statement turns (acknowledging the last answer)
    replies: Sequence[str] = ("cust.comment", "a.situation", "a.pain", "a.followup")
    customer_asks: float = 0.15
    colleague: float = 0.0
    monologues: bool = False
