"""One call in Gong's shapes: the extensive call object (metaData, parties, content) and its transcript."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from coaching_sandbox.corpus.accounts import Account, Contact
from coaching_sandbox.corpus.content import call_content
from coaching_sandbox.corpus.dialogue import perform, plan_call
from coaching_sandbox.corpus.ids import IdFactory, iso
from coaching_sandbox.corpus.people import Member
from coaching_sandbox.corpus.profiles import Style
from coaching_sandbox.corpus.scenes import Scene
from coaching_sandbox.corpus.script import Cast
from coaching_sandbox.corpus.speech import Recorder, Voice
from coaching_sandbox.corpus.templates import Phrasebook, Slots
from coaching_sandbox.corpus.world import World

WORKSPACE_ID = "5180327219870634016"


@dataclass(frozen=True)
class Slot:
    """Where and when a call happens and who is on it, decided by the schedule."""

    index: int
    call_id: str
    kind: str
    rep: Member
    colleague: Member | None
    account: Account
    scheduled: datetime  # aware, tenant time
    minutes: float
    week: int


@dataclass(frozen=True)
class CallRecord:
    call: dict[str, Any]
    transcript: list[dict[str, Any]]
    available_at: datetime
    transcript_ready_at: datetime


def _internal(ids: IdFactory, member: Member) -> dict[str, Any]:
    return {
        "id": ids.numeric(15),
        "emailAddress": member.email,
        "name": member.name,
        "title": member.title,
        "userId": member.user_id,
        "speakerId": ids.numeric(19),
        "affiliation": "Internal",
        "methods": ["Invitee"],
    }


def _external(ids: IdFactory, contact: Contact, *, spoke: bool, invited: bool) -> dict[str, Any]:
    party = {
        "id": ids.numeric(15),
        "emailAddress": contact.email,
        "name": contact.name,
        "title": contact.title,
        "speakerId": ids.numeric(19) if spoke else None,
        "affiliation": "External",
        "methods": ["Invitee", "Attendee"] if invited else ["Attendee"],
    }
    return {k: v for k, v in party.items() if v is not None}


def _slots(rng: random.Random, world: World, slot: Slot, champion: Contact) -> Slots:
    vocab = world.products[slot.account.product]
    pain, pain_short = rng.choice(vocab.pains)
    fixed = {
        "customer_first": champion.first,
        "rep_first": slot.rep.first,
        "product": vocab.name,
        "colleague_first": slot.colleague.first if slot.colleague else "My colleague",
        "tool": slot.account.tool,
        "competitor": slot.account.competitor,
        "workload": rng.choice(vocab.workloads),
        "pain": pain,
        "pain_short": pain_short,
        "metric": rng.choice(vocab.metrics),
        "event": rng.choice(vocab.events),
        "decider": rng.choice(world.deciders),
        "month": rng.choice(world.months),
        "reference": rng.choice([r for r in world.references if r != slot.account.name]),
        "pipelines": str(rng.choice((80, 120, 200, 300, 450, 800))),
        "runs": f"{rng.randint(40, 400)},000",
        "growth": str(rng.randint(12, 60)),
        "seats": str(rng.randint(25, 120)),
        "price": f"€{rng.randint(30, 180)},000",
        "number": rng.choice(("six", "nine", "twelve", "fourteen")),
    }
    return Slots(fixed, {"feature": vocab.features}, rng)


def build_call(seed: int, world: World, slot: Slot, style: Style) -> CallRecord:
    """Everything about one call comes from its own generator, so one call never shifts another's text."""
    rng = random.Random(f"{seed}:call:{slot.index}")
    ids = IdFactory(rng)
    account = slot.account
    speakers = list(account.contacts[: rng.choice((1, 1, 2, 2, 2, 3))])
    parties = [_internal(ids, slot.rep)]
    if slot.colleague:
        parties.append(_internal(ids, slot.colleague))
    parties += [_external(ids, c, spoke=True, invited=i == 0 or rng.random() < 0.7) for i, c in enumerate(speakers)]
    if rng.random() < 0.35:
        parties.append(_external(ids, rng.choice(account.observers), spoke=False, invited=True))

    def voice(party: dict[str, Any], is_rep: bool = False) -> Voice:
        return Voice(party["speakerId"], rng.uniform(360, 450), is_rep)

    colleague = voice(parties[1]) if slot.colleague else None
    customers = [voice(p) for p in parties if p["affiliation"] == "External" and "speakerId" in p]
    cast = Cast(voice(parties[0], True), customers, colleague, slot.colleague.role if slot.colleague else None)
    recorder = Recorder(rng, start_ms=rng.randint(2_000, 25_000))
    book = Phrasebook(rng, _slots(rng, world, slot, speakers[0]))
    perform(
        Scene(rng, book, recorder, cast, style, account.product),
        plan_call(rng, slot.kind, account.product, style, slot.minutes),
    )

    spoke = {entry["speakerId"] for entry in recorder.entries}
    for party in parties:  # Gong gives a speakerId only to those who actually spoke
        if party.get("speakerId") not in spoke:
            party.pop("speakerId", None)

    fractional = rng.random() < 0.5
    started = slot.scheduled + timedelta(seconds=rng.uniform(-60, 240))
    started = started.replace(microsecond=started.microsecond // 1000 * 1000 if fractional else 0)
    duration = math.ceil(recorder.t / 1000) + rng.randint(5, 40)
    meeting = str(rng.randint(10**9, 10**11 - 1))
    meta = {
        "id": slot.call_id,
        "url": f"https://app.gong.io/call?id={slot.call_id}",
        "title": f"{account.name} <> Prefect | {slot.kind}",
        "scheduled": iso(slot.scheduled),
        "started": iso(started, fractional=fractional),
        "duration": duration,
        "primaryUserId": slot.rep.user_id,
        "direction": "Conference",
        "system": "Zoom",
        "scope": "External",
        "media": "Video",
        "language": "eng",
        "workspaceId": WORKSPACE_ID,
        "sdrDisposition": None,
        "clientUniqueId": meeting,
        "customData": None,
        "purpose": None,
        "meetingUrl": f"https://zoom.us/j/{meeting}",
        "isPrivate": False,
        "calendarEventId": ids.calendar_event_id(),
    }
    ended = started.astimezone(UTC) + timedelta(seconds=duration)
    listed = rng.uniform(2, 20)
    return CallRecord(
        call={"metaData": meta, "parties": parties, "content": call_content(recorder.entries)},
        transcript=recorder.entries,
        available_at=ended + timedelta(minutes=listed),
        transcript_ready_at=ended + timedelta(minutes=rng.uniform(max(10.0, listed + 1), 240)),
    )
