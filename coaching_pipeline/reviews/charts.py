"""The reviews' charts, drawn with matplotlib's Agg canvas into PNG data URIs (they render offline)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from coaching_pipeline.reviews.models import DIMENSION_LABELS, DIMENSIONS, Distribution, RepRow, TrendPoint

COLORS = {
    "discovery": "#2563eb",
    "product_knowledge": "#059669",
    "objection_handling": "#d97706",
    "engagement": "#7c3aed",
}
WIDTH_INCHES = 5.6  # 560 px at 100 px per inch: fits a 600 px email column with its padding
DPI = 150  # 1.5x the displayed size: sharp on high-density screens, and a third faster to draw than 2x
SCORES = LinearSegmentedColormap.from_list("scores", ["#dc2626", "#fbbf24", "#16a34a"])


CACHE_SIZE = 128
_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(kind: str, inputs: Any, draw: Callable[[], Figure]) -> str:
    """Draw once per distinct input: a week's HTML, Markdown and email of one review share their charts."""
    key = kind + hashlib.sha256(json.dumps(inputs, default=str, sort_keys=True).encode()).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    uri = _data_uri(draw())
    with _cache_lock:
        _cache[key] = uri
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return uri


def clear_cache() -> None:
    """Forget drawn charts (benchmarks time drawing, not the cache)."""
    with _cache_lock:
        _cache.clear()


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height: float, *, left: float, bottom: float, top: float, right: float = 0.98) -> Figure:
    """A white figure with fixed margins (in inches), cheaper to draw than a constrained layout."""
    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.set_facecolor("white")
    figure.subplots_adjust(left=left / WIDTH_INCHES, right=right, bottom=bottom / height, top=1 - top / height)
    return figure


def trend_chart(points: list[TrendPoint], week_start: date, weeks: int) -> str:
    """Weekly mean score per dimension over the last `weeks` weeks; gaps where the rep had no calls."""
    inputs = [[p.model_dump(mode="json") for p in points], week_start.isoformat(), weeks]
    return _cached("trend", inputs, lambda: _trend_figure(points, week_start, weeks))


def _trend_figure(points: list[TrendPoint], week_start: date, weeks: int) -> Figure:
    figure = _figure(2.6, left=0.35, bottom=0.55, top=0.3)
    axes = figure.add_subplot()
    starts = [week_start - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    for dimension in DIMENSIONS:
        by_week = {p.week_start: p.mean_score for p in points if p.dimension == dimension}
        values = [by_week.get(start, float("nan")) for start in starts]
        axes.plot(range(weeks), values, marker="o", markersize=3.5, linewidth=1.8, color=COLORS[dimension])
        axes.plot([], [], color=COLORS[dimension], label=DIMENSION_LABELS[dimension])
    axes.set_xticks(range(weeks), [f"{s:%d %b}" for s in starts], fontsize=7, rotation=45, ha="right")
    axes.set_ylim(1, 5)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.tick_params(axis="y", labelsize=8)
    axes.grid(axis="y", color="#e5e7eb")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=7, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return figure


def distribution_chart(distributions: list[Distribution]) -> str:
    """Box plots of the team's call scores per dimension: min, quartiles, median, max; the mean as a dot."""
    inputs = [d.model_dump(mode="json") for d in distributions]
    return _cached("distribution", inputs, lambda: _distribution_figure(distributions))


def _distribution_figure(distributions: list[Distribution]) -> Figure:
    figure = _figure(0.55 * max(len(distributions), 1) + 0.5, left=1.25, bottom=0.3, top=0.1)
    axes = figure.add_subplot()
    ordered = sorted(distributions, key=lambda d: DIMENSIONS.index(d.dimension), reverse=True)
    stats = [
        {
            "label": DIMENSION_LABELS.get(d.dimension, d.dimension),
            "whislo": d.min_score,
            "q1": d.p25_score,
            "med": d.median_score,
            "q3": d.p75_score,
            "whishi": d.max_score,
            "mean": d.mean_score,
            "fliers": [],
        }
        for d in ordered
    ]
    boxes = axes.bxp(stats, orientation="horizontal", showmeans=True, patch_artist=True, widths=0.55)
    for box, d in zip(boxes["boxes"], ordered, strict=True):
        box.set_facecolor(COLORS.get(d.dimension, "#94a3b8"))
        box.set_alpha(0.35)
    axes.set_xlim(0.8, 5.2)
    axes.tick_params(labelsize=8)
    axes.grid(axis="x", color="#e5e7eb")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def heatmap_chart(rows: list[RepRow]) -> str:
    """Reps x dimensions, the week's mean score in each cell (blank where a rep had no score)."""
    inputs = [[r.rep.name, r.scores] for r in rows]
    return _cached("heatmap", inputs, lambda: _heatmap_figure(rows))


def _heatmap_figure(rows: list[RepRow]) -> Figure:
    shown = [r for r in rows if r.scores]
    longest = max((len(r.rep.name) for r in shown), default=8)
    figure = _figure(0.3 * max(len(shown), 1) + 0.45, left=0.2 + 0.062 * longest, bottom=0.05, top=0.35)
    axes = figure.add_subplot()
    grid = [[r.scores.get(d, float("nan")) for d in DIMENSIONS] for r in shown]
    axes.imshow(grid, cmap=SCORES, vmin=1, vmax=5, aspect="auto")
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if value == value:  # not NaN
                axes.text(x, y, f"{value:.1f}", ha="center", va="center", fontsize=7.5, color="#111827")
    axes.set_xticks(range(len(DIMENSIONS)), [DIMENSION_LABELS[d] for d in DIMENSIONS], fontsize=7.5)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(shown)), [r.rep.name for r in shown], fontsize=7.5)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    return figure
