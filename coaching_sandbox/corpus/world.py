"""The sample world (org chart, customer accounts, vocabulary), loaded and validated from world.yaml."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

RepRole = Literal["AE", "SE", "CSM"]
Profile = Literal["steady", "improver", "decliner", "monologuer", "no_discovery", "objection_pro"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(_Strict):
    first: str
    last: str


class RepSpec(Name):
    role: RepRole
    profile: Profile
    senior: bool = False


class TeamSpec(_Strict):
    name: str
    manager: Name
    reps: list[RepSpec]


class OtherSpec(Name):
    title: str
    manager: str  # "vp" or a team name
    active: bool


class CompanySpec(_Strict):
    name: str
    email_domain: str
    gong_tenant: str


class ProductVocab(_Strict):
    name: str
    competitors: list[str]
    homegrown: list[str]
    workloads: list[str]
    features: list[str]
    pains: list[tuple[str, str]]  # (as the customer says it, short form for follow-ups)
    metrics: list[str]
    events: list[str]


class World(_Strict):
    company: CompanySpec
    vp: Name
    teams: list[TeamSpec]
    others: list[OtherSpec]
    spoken_languages: dict[str, list[str]]
    accounts: list[tuple[str, str, str]]  # (name, email domain, segment = team name)
    contact_first_names: list[str]
    contact_last_names: list[str]
    contact_titles: dict[str, list[str]]
    products: dict[str, ProductVocab]
    deciders: list[str]
    references: list[str]
    months: list[str]


@cache
def load_world() -> World:
    text = (Path(__file__).with_name("world.yaml")).read_text(encoding="utf-8")
    return World.model_validate(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "Ae"})


def email_local_part(*parts: str) -> str:
    """ASCII mailbox from a display name ('Łukasz Kowalski' -> 'lukasz.kowalski'): mail systems rarely
    accept the accented original, so real directories carry both forms."""
    cleaned = []
    for part in parts:
        flat = unicodedata.normalize("NFKD", part.translate(_NO_DECOMPOSITION))
        ascii_only = "".join(ch for ch in flat if ch.isascii() and (ch.isalnum()))
        cleaned.append(ascii_only.lower())
    return ".".join(p for p in cleaned if p)
