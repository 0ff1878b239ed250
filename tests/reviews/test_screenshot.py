"""A review rendered in real headless Chromium (Debian's `chromium`): the page is drawn and so are its charts."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from coaching_pipeline.reviews.render import ReportFormat, render_rep_review, render_team_review
from tests.reviews.conftest import LATEST_WEEK

WINDOW = (700, 2400)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: apt-get install -y chromium (.ci/run installs it)")
    return found


def screenshot(html_file: Path, png: Path) -> Image.Image:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        subprocess.run(
            [
                _chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                html_file.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return Image.open(png).convert("RGB")


Colours = dict[tuple[int, int, int], int]


def _colours(image: Image.Image) -> Colours:
    """Pixel count per colour."""
    return {colour: count for count, colour in image.getcolors(maxcolors=1 << 22) or []}


def _near(colours: Colours, hex_colour: str, *, pixels: int = 300, tolerance: int = 8) -> bool:
    """At least `pixels` pixels of about this colour: an area, not the anti-aliased edge of some text."""
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    close = (
        n for colour, n in colours.items() if all(abs(c - t) <= tolerance for c, t in zip(colour, target, strict=True))
    )
    return sum(close) >= pixels


@pytest.mark.parametrize("kind", ["rep", "team"])
def test_screenshot_shows_the_review_and_its_charts(reviews_url: str, tmp_path: Path, kind: str) -> None:
    if kind == "rep":
        report = render_rep_review(reviews_url, "u-0-1", LATEST_WEEK, ReportFormat.HTML)
    else:
        report = render_team_review(reviews_url, "u-mgr-0", LATEST_WEEK, ReportFormat.HTML)
    page = tmp_path / report.filename
    page.write_text(report.body, encoding="utf-8")
    image = screenshot(page, tmp_path / f"{kind}.png")

    assert image.size == WINDOW
    colours = _colours(image)
    assert len(colours) > 200, "the page looks blank"
    assert _near(colours, "#1e3a8a"), "the header band is missing"
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', report.body)
    assert embedded, "no chart in the page"
    for data in embedded:
        chart = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
        assert len(_colours(chart)) > 50, "a chart image is uniform"
        # Chromium drew it: the chart's main saturated colours (lines, boxes, cells) are on the screen.
        signature = _saturated(chart)
        assert len(signature) >= 3
        assert sum(_near(colours, c) for c in signature) >= 3, "the chart is not in the screenshot"


def _saturated(chart: Image.Image, count: int = 5) -> list[str]:
    """The chart's most frequent clearly coloured pixels (not white, grey or black), as #rrggbb."""
    counted = sorted(chart.getcolors(maxcolors=1 << 20) or [], reverse=True)
    picked = [colour for _, colour in counted if max(colour) - min(colour) > 60][:count]
    return ["#{:02x}{:02x}{:02x}".format(*colour) for colour in picked]
