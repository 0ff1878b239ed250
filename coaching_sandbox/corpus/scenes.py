"""Conversation building blocks: opening, question-and-answer, talk bodies, objections and the close.

Turn lengths are steered toward the rep's target talk share: each side's next turn grows when it has
spoken less than its share so far and shrinks when it has spoken more, within natural bounds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import partial

from coaching_sandbox.corpus.profiles import Style
from coaching_sandbox.corpus.script import ELABORATION, Ask, Body, Cast, Objection
from coaching_sandbox.corpus.speech import Recorder, Voice
from coaching_sandbox.corpus.templates import Phrasebook


class Scene:
    def __init__(
        self, rng: random.Random, book: Phrasebook, rec: Recorder, cast: Cast, style: Style, product: str
    ) -> None:
        self.rng, self.book, self.rec, self.cast, self.style, self.product = rng, book, rec, cast, style, product
        self.ratio = min(max(style.talk_ratio + rng.uniform(-0.03, 0.03), 0.2), 0.9)  # calls vary around the habit
        self._last_monologue_end = -(10**9)
        self._drawers: dict[tuple[str, ...], Callable[[], str]] = {}

    def _customer(self) -> Voice:
        customers = self.cast.customers
        if len(customers) == 1 or self.rng.random() < 0.55:
            return customers[0]
        return self.rng.choice(customers[1:])

    def _patience(self) -> int:
        low, high = self.style.patience_ms
        return low + int(self.rng.random() * (high - low))

    def _reply_pause(self) -> int:
        return 300 + int(self.rng.random() * 1200)

    def _rep_seconds(self) -> float:
        ratio, rec = self.ratio, self.rec
        deficit = (ratio / (1 - ratio) * rec.other_ms - rec.rep_ms) / 1000
        base = self.rng.uniform(6, self.style.max_turn_s * 0.6)
        return min(max(0.5 * base + 0.5 * deficit, 4.0), self.style.max_turn_s)

    def _customer_seconds(self, low: float, high: float) -> float:
        ratio, rec = self.ratio, self.rec
        deficit = ((1 - ratio) / ratio * rec.rep_ms - rec.other_ms) / 1000
        return min(max(0.5 * self.rng.uniform(low, high) + 0.5 * deficit, low), high)

    def _lines(self, categories: Sequence[str]) -> Callable[[], str]:
        """A line drawer over one or several categories, built once per body or answer, not per sentence."""
        key = tuple(categories)
        drawer = self._drawers.get(key)
        if drawer is None:
            if len(key) == 1:
                drawer = partial(self.book.line, key[0])
            else:
                draw, line, count = self.rng.random, self.book.line, len(key)
                drawer = lambda: line(key[int(draw() * count)])  # noqa: E731
            self._drawers[key] = drawer
        return drawer

    def opening(self, agenda: str) -> None:
        rec, book, rep = self.rec, self.book, self.cast.rep
        rec.say(rep, [book.line("rep.opening")], "Call Setup", 0)
        rec.say(self._customer(), [book.line("cust.opening")], "Call Setup", self._reply_pause())
        if self.rng.random() < 0.6:
            rec.say(rep, [book.line("rep.smalltalk")], None, self._patience())
            rec.say(self._customer(), [book.line("cust.smalltalk")], None, self._reply_pause())
        rec.say(rep, [book.line(agenda) for _ in range(self.rng.randint(1, 2))], "Call Setup", self._patience())
        rec.say(self._customer(), [book.line("cust.react")], "Call Setup", self._reply_pause())

    def exchange(self, question: Ask, topic: str | None, *, first: bool = False) -> None:
        lead = [self.book.line("rep.transition")] if not first and self.rng.random() < 0.5 else []
        self.rec.say(self.cast.rep, [*lead, self.book.line(f"q.{question.kind}")], topic, self._patience())
        low, high = question.answer_seconds
        seconds = self.rng.uniform(low, high)
        category = f"a.{question.kind}"
        more = self._lines((category, *ELABORATION))
        self.rec.say_for(self._customer(), more, seconds, topic, self._reply_pause(), head=self.book.line(category))

    def body(self, body: Body) -> None:
        rec, rng, book = self.rec, self.rng, self.book
        begin, pending, checks = rec.t, list(body.asks), body.checkins
        span, total = max(body.end_ms - begin, 1), len(body.asks)
        statements = self._lines(body.rep_lines)
        while rec.t < body.end_ms or pending or checks:
            progress = (rec.t - begin) / span
            if pending and progress >= (total - len(pending)) / total:
                first = len(pending) == total
                self.exchange(pending.pop(0), body.topic, first=first)
                continue
            every = self.style.monologue_every_s
            monologue = body.monologues and every and rec.t - self._last_monologue_end >= every * 1000
            seconds = rng.uniform(240, 460) if monologue else self._rep_seconds()
            tail = []
            if checks and (progress >= (body.checkins - checks + 1) / (body.checkins + 1) or rec.t >= body.end_ms):
                tail, checks = [book.line("q.checkin")], checks - 1
            head = book.line(body.lead) if body.lead and rng.random() < 0.6 else None
            rec.say_for(self.cast.rep, statements, seconds, body.topic, self._patience(), tail, head)
            if monologue:
                self._last_monologue_end = rec.t
            self._respond(body, checked_in=bool(tail))

    def _respond(self, body: Body, *, checked_in: bool) -> None:
        rec, rng, book, cast = self.rec, self.rng, self.book, self.cast
        if cast.colleague and rng.random() < body.colleague:
            lines = [book.line(f"colleague.{cast.colleague_role}") for _ in range(rng.randint(1, 2))]
            rec.say(cast.colleague, lines, body.topic, self._reply_pause())
        if checked_in:
            rec.say(self._customer(), [book.line("a.checkin")], body.topic, self._reply_pause())
        elif rng.random() < body.customer_asks:
            question, answer = book.pair(f"cust.ask.{self.product}", f"rep.answer.{self.product}")
            rec.say(self._customer(), [question], body.topic, self._reply_pause())
            rec.say(cast.rep, [answer], body.topic, self._patience())
            rec.say(self._customer(), [book.line("cust.react")], body.topic, self._reply_pause())
        else:
            seconds = self._customer_seconds(1.5, 45)
            if seconds < 4:
                rec.say(self._customer(), [book.line("cust.react")], body.topic, self._reply_pause())
            else:
                rec.say_for(self._customer(), self._lines(body.replies), seconds, body.topic, self._reply_pause())

    def objection(self, plan: Objection) -> None:
        rec, book, rep, rng = self.rec, self.book, self.cast.rep, self.rng
        rec.say(self._customer(), [book.line(plan.category)], plan.topic, self._reply_pause())
        lines = [book.line("laer.listen")] if plan.listen else []
        if plan.ask:
            rec.say(rep, [*lines, book.line("laer.ask")], plan.topic, self._patience())
            rec.say_for(
                self._customer(),
                self._lines(("cust.objection_detail",)),
                rng.uniform(10, 35),
                plan.topic,
                self._reply_pause(),
            )
            lines = []
        if plan.evidence:
            lines += [book.line(plan.respond), book.line(plan.respond)]
        else:
            lines += [book.line("rep.defend") for _ in range(rng.randint(1, 2))]
        if plan.confirm:
            lines.append(book.line("laer.confirm"))
        rec.say(rep, lines, plan.topic, self._patience())
        reply = "cust.objection_ok" if plan.confirm else "cust.react" if plan.evidence else "cust.objection_unresolved"
        rec.say(self._customer(), [book.line(reply)], plan.topic, self._reply_pause())

    def close(self, *, clear: bool) -> None:
        rec, book, rep = self.rec, self.book, self.cast.rep
        if clear:
            rec.say(rep, [book.line("rep.next_steps"), book.line("rep.next_steps")], "Next Steps", self._patience())
        else:
            rec.say(rep, [book.line("rep.vague_close")], "Next Steps", self._patience())
        rec.say(self._customer(), [book.line("cust.closing")], "Next Steps", self._reply_pause())
        rec.say(rep, [book.line("rep.goodbye")], None, self._patience())
