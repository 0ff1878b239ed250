"""Every request gets a principal and leaves one audit row, whether it is answered, refused or fails."""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

import anyio
from fastmcp.exceptions import FastMCPError, ToolError, ValidationError
from fastmcp.server.dependencies import get_access_token
from fastmcp.server.middleware import CallNext, Middleware, MiddlewareContext

from mcp_app import audit
from mcp_app.auth import principal_from_claims
from mcp_app.services.context import AppContext
from mcp_app.services.errors import Denied, ServiceError
from mcp_app.services.people import principal_for
from mcp_app.services.principal import Principal, Role

_principal: ContextVar[Principal | None] = ContextVar("mcp_principal", default=None)


def current_principal() -> Principal:
    principal = _principal.get()
    if principal is None:
        raise ToolError("no identity for this request")
    return principal


class PrincipalAndAudit(Middleware):
    """Resolves who is calling (bearer token claims over HTTP, COACHING_MCP_USER over stdio) and audits."""

    def __init__(self, ctx: AppContext, *, stdio_email: str | None, stdio_role: Role | None) -> None:
        self.ctx = ctx
        self.stdio_email = stdio_email
        self.stdio_role = stdio_role

    def _resolve(self, claims: dict[str, Any] | None) -> Principal:
        with self.ctx.read() as conn:
            if claims is not None:
                return principal_from_claims(conn, claims)
            if self.stdio_email:
                return principal_for(conn, email=self.stdio_email, role=self.stdio_role, auth_method="stdio")
        raise Denied("no identity: send a bearer token (HTTP) or set COACHING_MCP_USER (stdio)")

    async def _audited(
        self, name: str, arguments: dict[str, Any], call_next: CallNext, context: MiddlewareContext
    ) -> Any:
        started = time.perf_counter()
        trail = audit.begin()
        token = get_access_token()
        claims = dict(token.claims) if token is not None else None
        principal, outcome, error = None, "ok", None
        try:
            principal = await anyio.to_thread.run_sync(self._resolve, claims)
            _principal.set(principal)
            return await call_next(context)
        except ServiceError as exc:
            outcome, error = exc.outcome, str(exc)
            raise ToolError(str(exc)) from None
        except FastMCPError as exc:
            cause = exc.__cause__
            if isinstance(cause, ServiceError):
                outcome, error = cause.outcome, str(cause)
                raise type(exc)(str(cause)) from None
            outcome = "invalid" if isinstance(exc, ValidationError) else "error"
            error = str(exc) if outcome == "invalid" else f"{type(cause or exc).__name__}: {cause or exc}"
            raise
        except Exception as exc:
            outcome, error = "error", f"{type(exc).__name__}: {exc}"
            raise
        finally:
            await anyio.to_thread.run_sync(
                lambda: audit.write(
                    self.ctx,
                    principal=principal,
                    auth_method="token" if claims is not None else "stdio",
                    tool=name,
                    arguments=arguments,
                    rows=trail.rows if outcome == "ok" else 0,
                    duration_ms=int((time.perf_counter() - started) * 1000),
                    outcome=outcome,
                    error=error,
                )
            )

    async def on_call_tool(self, context: MiddlewareContext, call_next: CallNext) -> Any:
        message = context.message
        return await self._audited(message.name, dict(message.arguments or {}), call_next, context)

    async def on_read_resource(self, context: MiddlewareContext, call_next: CallNext) -> Any:
        return await self._audited(f"resource {context.message.uri}", {}, call_next, context)

    async def on_get_prompt(self, context: MiddlewareContext, call_next: CallNext) -> Any:
        message = context.message
        return await self._audited(f"prompt {message.name}", dict(message.arguments or {}), call_next, context)
