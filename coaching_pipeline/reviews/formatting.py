"""Jinja filters shared by the HTML and Markdown templates: scores, changes, shares, timestamps, Gong links."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from coaching_pipeline.reviews.models import DIMENSION_LABELS, Quote

# A quote's link opens the call in Gong with this many seconds from the quote highlighted.
MOMENT_SECONDS = 30


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def change(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def stat(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.0%}"
    if unit == "s":
        return f"{value:.1f} s"
    return f"{value:.1f}"


def timestamp(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if minutes >= 60 else f"{minutes}:{secs:02d}"


def attribution(quote: Quote) -> str:
    """Who said it, when in the call, and on which day: `Dana at 12:04, call of 03 Nov`."""
    parts = quote.speaker or "Speaker"
    if quote.start_seconds is not None:
        parts += f" at {timestamp(quote.start_seconds)}"
    if quote.call_date:
        parts += f", call of {quote.call_date:%d %b}"
    return parts


def moment_url(call_url: str | None, seconds: float | None) -> str | None:
    """The call's Gong page with the quote's moment highlighted (Gong's `highlights` link parameter)."""
    if not call_url or seconds is None:
        return call_url
    start = int(seconds)
    highlight = json.dumps([{"from": start, "to": start + MOMENT_SECONDS, "type": "LIBRARY"}], separators=(",", ":"))
    separator = "&" if "?" in call_url else "?"
    return f"{call_url}{separator}highlights={quote(highlight)}"


def dimension(name: str) -> str:
    return DIMENSION_LABELS.get(name, name.replace("_", " ").capitalize())


def change_color(value: float | None) -> str:
    if value is None or abs(value) < 0.005:
        return "#6b7280"
    return "#15803d" if value > 0 else "#b91c1c"


def score_background(value: float | None) -> str:
    """A light cell colour for a 1-5 score (the heat map's table twin)."""
    if value is None:
        return "#ffffff"
    if value < 2.5:
        return "#fee2e2"
    if value < 3.5:
        return "#fef3c7"
    return "#dcfce7"


FILTERS: dict[str, Callable[..., Any]] = {
    "score": score,
    "change": change,
    "share": share,
    "stat": stat,
    "timestamp": timestamp,
    "moment_url": moment_url,
    "attribution": attribution,
    "dimension": dimension,
    "change_color": change_color,
    "score_background": score_background,
}
