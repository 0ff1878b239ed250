"""Errors the warehouse raises with a message that says what to check."""

from __future__ import annotations

from urllib.parse import urlparse


class WarehouseUnavailable(RuntimeError):
    """The warehouse could not be reached: a wrong DATABASE_URL, or the server is down."""

    def __init__(self, url: str, error: BaseException) -> None:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        super().__init__(f"cannot reach the warehouse at {shown_url(url)} (check DATABASE_URL): {reason}")


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)
    return parsed._replace(netloc=netloc).geturl()
