"""Who may call the app over HTTP: project-issued bearer tokens (stored as hashes) and company JWTs."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import psycopg
from fastmcp.server.auth import AccessToken, AuthProvider, MultiAuth, TokenVerifier
from fastmcp.server.auth.providers.jwt import JWTVerifier
from pydantic import BaseModel

from coaching_pipeline.settings import Settings
from coaching_pipeline.warehouse.db import connect
from mcp_app import auth_queries
from mcp_app.services.errors import NotFound
from mcp_app.services.people import principal_for
from mcp_app.services.principal import Principal, Role

TOKEN_PREFIX = "cmcp_"
ROLE_CLAIM = "coaching_role"


class IssuedToken(BaseModel):
    token_id: str
    email: str
    user_id: str
    role: Role
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(url: str, *, email: str, role: Role, days: int | None, label: str | None) -> tuple[str, IssuedToken]:
    """A new bearer token for a Gong user; the secret is returned once and only its SHA-256 is stored."""
    with connect(url) as conn:
        user = principal_for(conn, email=email, role=role, auth_method="token")
        token_id = secrets.token_hex(6)
        secret = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        expires = datetime.now(UTC) + timedelta(days=days) if days else None
        row = conn.execute(
            auth_queries.INSERT_TOKEN,
            {
                "token_id": token_id,
                "sha": _digest(secret),
                "user_id": user.user_id,
                "email": user.email,
                "role": role.value,
                "label": label,
                "expires_at": expires,
            },
        ).fetchone()
    return secret, IssuedToken.model_validate(row)


def revoke_token(url: str, *, token_id: str | None = None, email: str | None = None) -> int:
    with connect(url) as conn:
        return conn.execute(auth_queries.REVOKE_TOKENS, {"token_id": token_id, "email": email}).rowcount


def list_tokens(url: str) -> list[IssuedToken]:
    with connect(url) as conn:
        return [IssuedToken.model_validate(r) for r in conn.execute(auth_queries.LIST_TOKENS)]


class IssuedTokenVerifier(TokenVerifier):
    """Accepts tokens from `coaching mcp token create` that are neither revoked nor expired."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    async def verify_token(self, token: str) -> AccessToken | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        with connect(self.url, autocommit=True) as conn:
            row = conn.execute(auth_queries.VALID_TOKEN, {"sha": _digest(token)}).fetchone()
        if row is None:
            return None
        expires = int(row["expires_at"].timestamp()) if row["expires_at"] else None
        return AccessToken(
            token=token,
            client_id=row["token_id"],
            scopes=[row["role"]],
            expires_at=expires,
            claims={"email": row["email"], "sub": row["user_id"], ROLE_CLAIM: row["role"], "auth": "token"},
        )


def build_auth(url: str, settings: Settings) -> AuthProvider:
    """Issued tokens always; a company identity provider's JWTs as well when COACHING_MCP_JWKS_URL (or a
    public key) is set, checked against COACHING_MCP_ISSUER and COACHING_MCP_AUDIENCE."""
    issued = IssuedTokenVerifier(url)
    if not (settings.coaching_mcp_jwks_url or settings.coaching_mcp_jwt_public_key):
        return issued
    jwt = JWTVerifier(
        jwks_uri=settings.coaching_mcp_jwks_url,
        public_key=None if settings.coaching_mcp_jwks_url else settings.coaching_mcp_jwt_public_key,
        issuer=settings.coaching_mcp_issuer,
        audience=settings.coaching_mcp_audience,
    )
    return MultiAuth(verifiers={"issued": issued, "jwt": jwt})


def principal_from_claims(conn: psycopg.Connection, claims: dict[str, object]) -> Principal:
    """The Gong user a verified token names: by `email` (JWT or issued token), with its role claim if any."""
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise NotFound("the token carries no email claim; the identity provider must include the user's email")
    raw_role = claims.get(ROLE_CLAIM)
    role = Role(raw_role) if isinstance(raw_role, str) and raw_role in Role._value2member_map_ else None
    method = "token" if claims.get("auth") == "token" else "jwt"
    return principal_for(conn, email=email, role=role, auth_method=method)
