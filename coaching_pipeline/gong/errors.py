"""Errors raised by the Gong client: one class per thing a caller can act on, each with a one-line message."""

from __future__ import annotations

from collections.abc import Sequence


class GongError(Exception):
    """Base of every Gong client error."""


class GongConfigurationError(GongError):
    """The client cannot be built from the settings (missing base URL or credentials)."""


class GongAuthError(GongError):
    """401/403: the access key pair is wrong, revoked or lacks the scope."""

    def __init__(self, endpoint: str, status: int, request_id: str | None = None) -> None:
        self.endpoint, self.status, self.request_id = endpoint, status, request_id
        super().__init__(
            f"Gong refused the credentials ({status}) on {endpoint}: check GONG_ACCESS_KEY and "
            f"GONG_ACCESS_KEY_SECRET{_request_suffix(request_id)}"
        )


class GongRequestError(GongError):
    """A 4xx Gong rejected: retrying the same request cannot help."""

    def __init__(self, endpoint: str, status: int, errors: Sequence[str], request_id: str | None = None) -> None:
        self.endpoint, self.status, self.errors, self.request_id = endpoint, status, list(errors), request_id
        detail = "; ".join(self.errors) or "no error detail"
        super().__init__(f"Gong rejected {endpoint} ({status}): {detail}{_request_suffix(request_id)}")


class GongCursorExpiredError(GongRequestError):
    """A page cursor outlived Gong's retention; the listing must restart from the first page."""


class GongNotFoundError(GongRequestError):
    """A 404 other than Gong's "no calls found" empty result."""


class GongUnavailableError(GongError):
    """Gong kept failing (5xx, 429, timeouts, refused connections) after every allowed retry, or asked us (429
    Retry-After) to wait longer than a caller should block; `retry_after` is Gong's last ask, in seconds."""

    def __init__(self, endpoint: str, attempts: int, last_status: str, retry_after: float | None = None) -> None:
        self.endpoint, self.attempts, self.last_status = endpoint, attempts, last_status
        self.retry_after = retry_after
        wait = f", Retry-After {retry_after:g}s" if retry_after is not None else ""
        super().__init__(f"Gong unavailable: {endpoint} failed {attempts} attempts, last status {last_status}{wait}")


class GongResponseError(GongError):
    """Gong answered 2xx with a body that does not match the documented shape."""


class GongBudgetExceeded(GongError):
    """The day's request budget is spent; further requests wait for the next UTC day."""

    def __init__(self, day: str, limit: int) -> None:
        self.day, self.limit = day, limit
        super().__init__(f"Gong daily request budget of {limit} is used up for {day} (UTC)")


def _request_suffix(request_id: str | None) -> str:
    return f" (requestId {request_id})" if request_id else ""
