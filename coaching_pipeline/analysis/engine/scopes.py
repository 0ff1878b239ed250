"""Which calls the analyses leave out: internal calls by default (COACHING_ANALYZE_SCOPES), each with its reason.

The coaching dimensions are about customer calls. A call is Internal when Gong's `scope` says so, or when it
has parties and every one of them is affiliated Internal; a party of Unknown affiliation (a dial-in, a guest
Gong could not match) may be the customer, so it keeps the call external-or-unknown. Otherwise the call has
Gong's scope (External, or Unknown when Gong gives none).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from coaching_pipeline.settings import GONG_SCOPES

SkipReason = Literal["internal_scope", "no_external_participant", "excluded_scope"]


class CallSkip(BaseModel):
    """Why a call is not analysed; stored in coaching.analysis_skips, one row per call."""

    scope: str
    reason: SkipReason
    detail: dict[str, Any]


def call_scope(gong_scope: str | None, affiliations: Sequence[str]) -> tuple[str, SkipReason]:
    """The call's scope for the analyses, and the reason to give if that scope is not analysed."""
    canonical = {scope.lower(): scope for scope in GONG_SCOPES}
    scope = canonical.get((gong_scope or "").lower(), "Unknown")
    if scope == "Internal":
        return scope, "internal_scope"
    if affiliations and all(a.lower() == "internal" for a in affiliations):
        return "Internal", "no_external_participant"
    return scope, "excluded_scope"


def skip_for(gong_scope: str | None, affiliations: Sequence[str], analyze: Collection[str]) -> CallSkip | None:
    """None when the call's scope is one COACHING_ANALYZE_SCOPES names, else why it is skipped."""
    scope, reason = call_scope(gong_scope, affiliations)
    if scope in analyze:
        return None
    detail = {"gong_scope": gong_scope, "affiliations": sorted(set(affiliations)), "analyzed_scopes": sorted(analyze)}
    return CallSkip(scope=scope, reason=reason, detail=detail)
