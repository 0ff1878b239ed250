"""Prefect's sales org as Gong /v2/users items: a VP, two team managers, their reps and a few others."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from coaching_sandbox.corpus.ids import IdFactory, iso
from coaching_sandbox.corpus.world import Name, World, email_local_part

REP_TITLES = {"AE": "Account Executive", "SE": "Solutions Engineer", "CSM": "Customer Success Manager"}


@dataclass(frozen=True)
class Member:
    """An internal person the generator casts into calls (users hold the Gong shape; this the casting facts)."""

    user_id: str
    first: str
    last: str
    title: str
    email: str
    role: str  # AE | SE | CSM
    team: str
    profile: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Org:
    users: list[dict[str, Any]]
    reps: list[Member]


def _user(
    rng: random.Random,
    ids: IdFactory,
    world: World,
    zone: ZoneInfo,
    person: Name,
    *,
    title: str,
    manager_id: str | None,
    active: bool,
    joined_before: date,
) -> dict[str, Any]:
    local = email_local_part(person.first, person.last)
    email = f"{local}@{world.company.email_domain}"
    joined = joined_before - timedelta(days=rng.randint(60, 1500))
    created = datetime.combine(joined, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)), zone)
    languages = [{"language": "en-US", "primary": True}]
    languages += [{"language": code, "primary": False} for code in world.spoken_languages.get(person.first, [])]
    return {
        "id": ids.numeric(19),
        "emailAddress": email,
        "created": iso(created),
        "active": active,
        "emailAliases": [],
        "trustedEmailAddress": email,
        "firstName": person.first,
        "lastName": person.last,
        "title": title,
        "phoneNumber": f"+1 {rng.choice(('212', '415', '646', '617', '312'))}-555-{rng.randint(100, 199):04d}",
        "extension": str(rng.randint(100, 999)) if rng.random() < 0.4 else None,
        "personalMeetingUrls": [f"https://zoom.us/j/{rng.randint(10**9, 10**10 - 1)}"],
        "settings": {
            "webConferencesRecorded": active,
            "preventWebConferenceRecording": False,
            "telephonyCallsImported": False,
            "emailsImported": True,
            "preventEmailImport": False,
            "nonRecordedMeetingsImported": True,
            "gongConnectEnabled": True,
        },
        "managerId": manager_id,
        "meetingConsentPageUrl": f"https://join.gong.io/{world.company.gong_tenant}/{local}?tkn={ids.token(22)}",
        "spokenLanguages": languages,
    }


def build_org(rng: random.Random, ids: IdFactory, world: World, zone: ZoneInfo, start: date) -> Org:
    """Users (VP, then each manager with their reps, then others) and the reps to cast into calls."""
    common = {"joined_before": start}
    vp = _user(rng, ids, world, zone, world.vp, title="VP of Sales", manager_id=None, active=True, **common)
    users = [vp]
    reps: list[Member] = []
    managers: dict[str, str] = {"vp": vp["id"]}
    for team in world.teams:
        manager = _user(
            rng,
            ids,
            world,
            zone,
            team.manager,
            title=f"Sales Manager, {team.name}",
            manager_id=vp["id"],
            active=True,
            **common,
        )
        managers[team.name] = manager["id"]
        users.append(manager)
        for spec in team.reps:
            title = REP_TITLES[spec.role]
            if spec.senior:
                title = f"Senior {title}"
            user = _user(rng, ids, world, zone, spec, title=title, manager_id=manager["id"], active=True, **common)
            users.append(user)
            email = user["emailAddress"]
            reps.append(Member(user["id"], spec.first, spec.last, title, email, spec.role, team.name, spec.profile))
    for other in world.others:
        users.append(
            _user(
                rng,
                ids,
                world,
                zone,
                other,
                title=other.title,
                manager_id=managers[other.manager],
                active=other.active,
                **common,
            )
        )
    return Org(users=users, reps=reps)
