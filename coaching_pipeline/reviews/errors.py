"""The errors a review caller turns into a message: an unknown subject or week, or a week without data."""

from __future__ import annotations


class ReviewError(ValueError):
    """Base class: the message says what was asked for and what to try instead."""


class ReviewNotFound(ReviewError):
    """No such rep or manager, or no analysed calls for them in the week asked for."""


class ReviewWeekError(ReviewError):
    """A week string that is neither an ISO week (2026-W47) nor a date (2026-11-16)."""
