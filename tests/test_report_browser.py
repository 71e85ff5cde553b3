"""The report in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright). No console errors, no network requests, every chart drawn; a screenshot is
saved to test-artifacts/ for a person to look at.

Skipped only when Chromium or Playwright is absent on this machine; CI installs both and
sets SCSIM_REQUIRE_BROWSER=1, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             "/usr/bin/chromium") if p and Path(p).exists()), None)


def _browser_or_skip():
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is not installed (pip install '.[test]')"
    if missing is None and CHROMIUM is None:
        missing = "chromium is not installed (apt-get install chromium)"
    if missing:
        if os.environ.get("SCSIM_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(f"browser test required here, but {missing}")
        pytest.skip(missing)
    return sync_playwright


def _open(page_path: Path, shot: str):
    sync_playwright = _browser_or_skip()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("request", lambda r: problems.append(f"request: {r.url}")
                    if not r.url.startswith(("file:", "data:", "about:")) else None)
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("document.querySelectorAll('figure.chart').length === "
                                   "document.querySelectorAll('figure.chart[data-rendered]')"
                                   ".length")
            yield page, problems
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        finally:
            browser.close()


def test_report_in_headless_chromium(tiny_report):
    for page, problems in _open(tiny_report, "report.png"):
        figures = page.query_selector_all("figure.chart")
        assert len(figures) >= 15
        for fig in figures:
            key = fig.get_attribute("data-chart")
            marks = fig.query_selector_all("svg path.series, svg rect.bar")
            assert marks, f"chart {key} drew nothing"
            assert fig.query_selector("svg").get_attribute("aria-label")
        cards = page.query_selector_all("#headline .card")
        assert len(cards) == 6 and all(c.inner_text().strip() for c in cards)
        # hover: the tooltip shows the day's values
        line = page.query_selector('figure[data-chart="wrongful.cumulative"]')
        line.scroll_into_view_if_needed()
        box = line.query_selector("rect.hit").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
        tip = page.query_selector(".tip")
        assert tip.is_visible() and "day" in tip.inner_text()
        # a legend click hides a series, a second click brings it back
        n = len(line.query_selector_all("path.series"))
        line.query_selector(".legend .key").click()
        assert len(line.query_selector_all("path.series")) == n - 1
        line.query_selector(".legend .key").click()
        assert len(line.query_selector_all("path.series")) == n
        page.mouse.move(0, 0)
        page.evaluate("window.scrollTo(0, 0)")
        assert problems == []
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_compare_page_in_headless_chromium(tiny_compare_page):
    for page, problems in _open(tiny_compare_page, "compare.png"):
        assert len(page.query_selector_all("figure.chart")) >= 15
        assert len(page.query_selector_all("#headline .card")) == 6
        assert problems == []
