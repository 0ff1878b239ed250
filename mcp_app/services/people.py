"""Identity and scope: the principal behind a request, and the reps and calls that principal may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from pydantic import BaseModel

from mcp_app.services import queries
from mcp_app.services.errors import InvalidRequest, NotFound
from mcp_app.services.principal import Principal, Role


class RepRef(BaseModel):
    user_id: str
    name: str | None
    email: str | None
    team: str | None


def principal_for(
    conn: psycopg.Connection,
    *,
    email: str | None = None,
    user_id: str | None = None,
    role: Role | None = None,
    auth_method: str,
) -> Principal:
    """The Gong user (by email or id) with `role`, or the role their Gong title implies (MANAGER: manager)."""
    if email:
        row = conn.execute(queries.USER_BY_EMAIL, {"email": email}).fetchone()
    else:
        row = conn.execute(queries.USER_BY_ID, {"user_id": user_id}).fetchone()
    if row is None:
        raise NotFound(f"{email or user_id} is not an active Gong user; ask an admin to check the email in Gong")
    role = role or (Role.MANAGER if row["role"] == "MANAGER" else Role.REP)
    return Principal(
        user_id=row["user_id"],
        email=row["email"] or email or "",
        name=row["full_name"] or None,
        role=role,
        auth_method=auth_method,
        visible=visible_user_ids(conn, row["user_id"], role),
    )


def visible_user_ids(conn: psycopg.Connection, user_id: str, role: Role) -> list[str] | None:
    if role is Role.ADMIN:
        return None
    if role is Role.REP:
        return [user_id]
    return [r["user_id"] for r in conn.execute(queries.TEAM_OF, {"user_id": user_id})]


def scope(principal: Principal, **params: Any) -> dict[str, Any]:
    """Query parameters with the principal's scope filter added."""
    return {"visible": principal.visible, **params}


def resolve_rep(conn: psycopg.Connection, principal: Principal, rep: str | None) -> RepRef:
    """A rep by Gong user id, email or name (whole or part), among the reps the principal may see.

    No rep means the principal themselves. An ambiguous name lists the candidates to choose from."""
    needle = (rep or "").strip()
    if not needle:
        needle = principal.user_id
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        queries.REPS_MATCHING, scope(principal, needle=needle, partial=False, pattern=pattern)
    ).fetchall()
    if not rows:
        rows = conn.execute(
            queries.REPS_MATCHING, scope(principal, needle=needle, partial=len(needle) >= 2, pattern=pattern)
        ).fetchall()
    if not rows:
        raise NotFound(
            f"no rep matching {needle!r} among the reps you can see; use an email, a Gong user id or a full name"
        )
    if len(rows) > 1:
        names = "; ".join(f"{r['full_name']} <{r['email']}> ({r['team']})" for r in rows)
        raise InvalidRequest(f"{needle!r} matches {len(rows)} reps: {names}. Ask again with one of the emails")
    row = rows[0]
    return RepRef(user_id=row["user_id"], name=row["full_name"], email=row["email"], team=row["team"])


def reps_of_team(conn: psycopg.Connection, principal: Principal, team: str) -> list[str]:
    ids = [r["user_id"] for r in conn.execute(queries.REPS_IN_TEAM, scope(principal, team=team.strip()))]
    if not ids:
        teams = ", ".join(r["team"] for r in conn.execute(queries.VISIBLE_TEAMS, scope(principal)))
        raise NotFound(f"no team {team!r} among the teams you can see ({teams})")
    return ids


def visible_calls(conn: psycopg.Connection, principal: Principal, call_ids: Sequence[str]) -> dict[str, dict]:
    """The calls, each checked against the scope; any unknown or out-of-scope id fails the whole request."""
    rows = {r["call_id"]: r for r in conn.execute(queries.CALLS_BY_ID, scope(principal, call_ids=list(call_ids)))}
    missing = [c for c in call_ids if c not in rows]
    if missing:
        raise NotFound(f"no call {', '.join(missing[:5])} among the calls you can see; search_calls finds call ids")
    return rows
