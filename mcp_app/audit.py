"""The audit trail: one mcp.audit_log row per tool call, with its arguments redacted."""

from __future__ import annotations

import hashlib
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from psycopg.types.json import Jsonb

from mcp_app import auth_queries
from mcp_app.services.context import AppContext
from mcp_app.services.principal import Principal

SECRET_KEYS = re.compile(r"token|secret|password|authorization|api_?key", re.IGNORECASE)
LARGE_KEYS = {"content"}  # stored as length and hash only
FREE_TEXT_KEYS = {"query", "competitor"}
EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
PHONE = re.compile(r"\+?\d[\d ()-]{6,}\d")
MAX_TEXT = 200


class Counted(Protocol):
    def row_count(self) -> int: ...


T = TypeVar("T", bound=Counted)


@dataclass
class Trail:
    """What the audit row of the call in progress will say; tools note how many rows they returned."""

    rows: int = 0


_trail: ContextVar[Trail | None] = ContextVar("mcp_audit_trail", default=None)


def begin() -> Trail:
    trail = Trail()
    _trail.set(trail)
    return trail


def answered(answer: T) -> T:
    """Record the rows a tool returns on the current call's audit trail, and pass the answer through."""
    trail = _trail.get()
    if trail is not None:
        trail.rows = answer.row_count()
    return answer


def redact(value: Any, key: str = "") -> Any:
    """Secrets out, big content reduced to a hash, emails (and phone numbers in free text) masked."""
    if SECRET_KEYS.search(key):
        return "[redacted]"
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value[:20]] + ([f"... {len(value) - 20} more"] if len(value) > 20 else [])
    if not isinstance(value, str):
        return value
    if key in LARGE_KEYS:
        return {"chars": len(value), "sha256": hashlib.sha256(value.encode()).hexdigest()}
    text = EMAIL.sub(r"\1***@\2", value)
    if key in FREE_TEXT_KEYS:
        text = PHONE.sub("[phone]", text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "..."


def write(
    ctx: AppContext,
    *,
    principal: Principal | None,
    auth_method: str,
    tool: str,
    arguments: dict[str, Any],
    rows: int,
    duration_ms: int,
    outcome: str,
    error: str | None,
) -> None:
    with ctx.read() as conn:
        conn.execute(
            auth_queries.INSERT_AUDIT,
            {
                "user_id": principal.user_id if principal else None,
                "email": principal.email if principal else None,
                "role": principal.role.value if principal else None,
                "auth_method": principal.auth_method if principal else auth_method,
                "tool": tool,
                "arguments": Jsonb(redact(arguments)),
                "rows": rows,
                "duration_ms": duration_ms,
                "outcome": outcome,
                "error": (error or "")[:1000] or None,
            },
        )
