"""The expected failures of a service call; the server turns them into ToolError messages and audit outcomes."""

from __future__ import annotations


class ServiceError(Exception):
    """An expected failure whose message tells the user what to do."""

    outcome = "invalid"


class InvalidRequest(ServiceError):
    """The arguments cannot be served as given (unknown rep, reversed dates, too many calls)."""


class NotFound(ServiceError):
    """Nothing the principal may see matches: unknown, or outside their scope (the two look the same)."""


class Denied(ServiceError):
    """The principal's role may not do this at all (a rep updating the knowledge base)."""

    outcome = "denied"
