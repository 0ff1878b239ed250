"""Customer accounts: who Prefect talks to, what they run today, and the people who join their calls."""

from __future__ import annotations

import random
from dataclasses import dataclass

from coaching_sandbox.corpus.world import World, email_local_part


@dataclass(frozen=True)
class Contact:
    first: str
    last: str
    title: str
    email: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Account:
    """A customer or prospect; `product` keys world.products ("cloud" or "horizon")."""

    name: str
    domain: str
    segment: str
    is_customer: bool  # existing customers get renewals and QBRs; prospects get discovery, demos, deep dives
    product: str
    tool: str  # what they run today
    competitor: str  # what they would compare us with
    contacts: tuple[Contact, ...]  # speakers, champion first
    observers: tuple[Contact, ...]  # people who join calls but rarely speak


def _contact(rng: random.Random, world: World, domain: str, title: str, used: set[str]) -> Contact:
    while True:
        first = rng.choice(world.contact_first_names)
        last = rng.choice(world.contact_last_names)
        if f"{first} {last}" not in used:
            used.add(f"{first} {last}")
            return Contact(first, last, title, f"{email_local_part(first, last)}@{domain}")


def build_accounts(rng: random.Random, world: World) -> list[Account]:
    """About a third of each segment are existing customers; a quarter of all accounts evaluate Horizon."""
    accounts: list[Account] = []
    for index, (name, domain, segment) in enumerate(world.accounts):
        product = "horizon" if rng.random() < 0.25 else "cloud"
        vocab = world.products[product]
        is_customer = index % 3 == 2
        competitor = rng.choice(vocab.competitors)
        tool = competitor if rng.random() < 0.6 else rng.choice(vocab.homegrown)
        used: set[str] = set()
        titles = rng.sample(world.contact_titles[product], k=4)
        contacts = tuple(_contact(rng, world, domain, title, used) for title in titles)
        observers = tuple(
            _contact(rng, world, domain, title, used) for title in rng.sample(world.contact_titles["silent"], k=2)
        )
        accounts.append(Account(name, domain, segment, is_customer, product, tool, competitor, contacts, observers))
    return accounts
