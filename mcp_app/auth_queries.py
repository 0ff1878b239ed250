"""The SQL of issued bearer tokens (mcp.access_tokens) and of the audit log (mcp.audit_log)."""

from __future__ import annotations

INSERT_TOKEN = """
insert into mcp.access_tokens (token_id, token_sha256, user_id, email, role, label, expires_at)
values (%(token_id)s, %(sha)s, %(user_id)s, %(email)s, %(role)s, %(label)s, %(expires_at)s)
returning token_id, email, user_id, role, label, created_at, expires_at, revoked_at
"""

REVOKE_TOKENS = """
update mcp.access_tokens set revoked_at = now()
where revoked_at is null and (token_id = %(token_id)s or lower(email) = lower(%(email)s))
"""

LIST_TOKENS = """
select token_id, email, user_id, role, label, created_at, expires_at, revoked_at
from mcp.access_tokens order by created_at
"""

VALID_TOKEN = """
select token_id, user_id, email, role, expires_at
from mcp.access_tokens
where token_sha256 = %(sha)s and revoked_at is null and (expires_at is null or expires_at > now())
"""

INSERT_AUDIT = """
insert into mcp.audit_log (principal_user_id, principal_email, principal_role, auth_method, tool, arguments,
                           rows_returned, duration_ms, outcome, error)
values (%(user_id)s, %(email)s, %(role)s, %(auth_method)s, %(tool)s, %(arguments)s, %(rows)s, %(duration_ms)s,
        %(outcome)s, %(error)s)
"""
