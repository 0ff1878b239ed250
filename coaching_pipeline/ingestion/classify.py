"""Derive what Gong does not say directly: a user's coaching role and team, and a call's type."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

CALL_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("technical_deep_dive", re.compile(r"\b(technical|deep[- ]dive|architecture)\b", re.I)),
    ("discovery", re.compile(r"\b(discovery|intro|qualification)\b", re.I)),
    ("demo", re.compile(r"\bdemo\b", re.I)),
    ("renewal", re.compile(r"\brenewal\b", re.I)),
    ("qbr", re.compile(r"\b(qbr|quarterly business review)\b", re.I)),
)

_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "MANAGER",
        re.compile(
            r"\b(manager|director|head|vp|vice president|chief)\b.*\b(sales|revenue|success)\b|"
            r"\b(vp|vice president|director|head) of\b|\bsales manager\b",
            re.I,
        ),
    ),
    ("CSM", re.compile(r"\bcustomer success\b|\bcsm\b|\baccount manager\b", re.I)),
    ("SE", re.compile(r"\b(solutions?|sales|pre-?sales) engineer\b|\bsolutions? architect\b|\bse\b", re.I)),
    ("AE", re.compile(r"\baccount executive\b|\bae\b|\baccount director\b", re.I)),
)


def call_type_from_title(title: str | None) -> str:
    for name, pattern in CALL_TYPES:
        if title and pattern.search(title):
            return name
    return "other"


def role_from_title(title: str | None) -> str:
    for role, pattern in _ROLE_PATTERNS:
        if title and pattern.search(title):
            return role
    return "OTHER"


def load_team_overrides(path: Path | None) -> dict[str, str]:
    """Optional YAML mapping of user email or id -> team, for orgs whose titles don't name the team."""
    if path is None or not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected a mapping of user email or id to team name")
    return {str(k).lower(): v for k, v in data.items()}


def team_for(
    user: Mapping[str, object], by_id: Mapping[str, Mapping[str, object]], overrides: Mapping[str, str]
) -> str | None:
    """A user's team: an explicit override, else the suffix of their nearest manager's title
    ("Sales Manager, Enterprise" -> "Enterprise"), else that manager's name."""
    for key in (str(user.get("emailAddress") or "").lower(), str(user.get("id"))):
        if key in overrides:
            return overrides[key]
    seen: set[str] = set()
    current: Mapping[str, object] | None = user
    while current is not None and str(current.get("id")) not in seen:
        seen.add(str(current.get("id")))
        title = str(current.get("title") or "")
        if current is not user and role_from_title(title) == "MANAGER":
            if "," in title:
                return title.split(",", 1)[1].strip()
            return f"{current.get('firstName', '')} {current.get('lastName', '')}".strip() or None
        if current is user and role_from_title(title) == "MANAGER" and "," in title:
            return title.split(",", 1)[1].strip()
        manager_id = current.get("managerId")
        current = by_id.get(str(manager_id)) if manager_id else None
    return None
