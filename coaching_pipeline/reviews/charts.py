"""The reviews' charts, drawn with matplotlib's Agg canvas into PNG data URIs (they render offline)."""

from __future__ import annotations

import base64
import io
from datetime import date, timedelta

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
DPI = 200  # twice the displayed size, sharp on high-density screens
SCORES = LinearSegmentedColormap.from_list("scores", ["#dc2626", "#fbbf24", "#16a34a"])


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH_INCHES, height), layout="constrained")
    figure.set_facecolor("white")
    return figure


def trend_chart(points: list[TrendPoint], week_start: date, weeks: int) -> str:
    """Weekly mean score per dimension over the last `weeks` weeks; gaps where the rep had no calls."""
    figure = _figure(2.6)
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
    return _data_uri(figure)


def distribution_chart(distributions: list[Distribution]) -> str:
    """Box plots of the team's call scores per dimension: min, quartiles, median, max; the mean as a dot."""
    figure = _figure(0.55 * max(len(distributions), 1) + 0.8)
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
    return _data_uri(figure)


def heatmap_chart(rows: list[RepRow]) -> str:
    """Reps x dimensions, the week's mean score in each cell (blank where a rep had no score)."""
    shown = [r for r in rows if r.scores]
    figure = _figure(0.32 * max(len(shown), 1) + 1.1)
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
    return _data_uri(figure)
