"""The dashboard end to end in a real browser: Playwright driving Debian's chromium.

Starts `scsim dashboard` on 127.0.0.1, picks a preset, runs, pins the run, moves a knob, runs
again and checks that the charts changed (and the pinned run did not); then starts a long run
and cancels it. A screenshot is kept in test-artifacts/dashboard.png.

Skips, with the reason, when the viz extra, Playwright or chromium is absent, unless
SCSIM_REQUIRE_BROWSER=1 (set by CI, which installs them): then their absence fails.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _need(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("SCSIM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{why} (SCSIM_REQUIRE_BROWSER=1)")
        pytest.skip(why)


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def dashboard():
    try:
        import panel  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        _need(False, f"the browser test needs {err.name} (pip install '.[viz,test]')")
    _need(_chromium() is not None, "the browser test needs chromium (apt-get install chromium)")
    proc = subprocess.Popen([sys.executable, "-m", "scsim", "dashboard", "--port", "0",
                             "--preset", "national-lists"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=60)
        assert first.startswith("scsim dashboard: http://127.0.0.1:"), first
        yield first.split()[2]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _series(page, name: str) -> list[float]:
    return page.evaluate("""(name) => {
        for (const doc of Bokeh.documents) {
            const m = doc.get_model_by_name(name);
            if (m) return Array.from(m.data.value);
        }
        return null; }""", name)


def _series_when(page, name: str, ok, timeout: float = 20.0) -> list[float]:
    """The series once `ok(series)` holds: the page gets the data a moment after the status."""
    import time

    end = time.monotonic() + timeout
    while True:
        got = _series(page, name)
        if (got is not None and ok(got)) or time.monotonic() > end:
            return got
        page.wait_for_timeout(100)


def _set_number(page, knob: str, value: str) -> None:
    box = page.locator(f".knob-{knob} input").first
    box.fill(value)
    box.press("Enter")


def test_pick_preset_move_knob_run_compare_cancel(dashboard):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # runs take longer on a loaded 2-core machine
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(dashboard)
        status = page.locator(".run-status")
        # Pick a preset: points-city has a score blacklist, so its threshold knob comes alive.
        threshold = page.locator(".knob-threshold input").first
        expect(threshold).to_be_disabled()
        page.locator(".knob-preset select").select_option("points-city")
        expect(threshold).to_be_enabled()
        expect(threshold).to_have_value("850")
        _set_number(page, "individuals", "5000")
        _set_number(page, "days", "120")
        page.locator(".btn-run button").click()
        expect(status).to_contain_text("Done: #1 points-city, 5,000 people, 120 d")
        first = _series_when(page, "listed-current", lambda s: len(s) == 120)
        assert len(first) == 120 and max(first) > 0
        page.locator(".btn-pin button").click()
        expect(page.locator(".headline")).to_contain_text("pinned run")
        # Move the blacklist threshold up by 100 points: ten steps of its slider.
        handle = page.locator(".knob-threshold .noUi-handle").first
        handle.focus()
        for _ in range(10):
            handle.press("ArrowRight")
        expect(threshold).to_have_value("950")
        page.locator(".btn-run button").click()
        expect(status).to_contain_text("Done: #2")
        second = _series_when(page, "listed-current", lambda s: s != first)
        assert len(second) == 120 and second != first
        # Same seed, same scores: a higher threshold can only list more entities.
        assert sum(second) > sum(first)
        assert _series_when(page, "listed-pinned", lambda s: len(s) == 120) == first
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        # A long run stays cancellable, and the page answers while it runs.
        _set_number(page, "individuals", "300000")
        _set_number(page, "days", "730")
        page.locator(".btn-run button").click()
        expect(status).to_contain_text("day ")
        page.locator(".btn-cancel button").click()
        expect(status).to_contain_text("Cancelled at day")
        assert _series(page, "listed-current") == second
        browser.close()
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
