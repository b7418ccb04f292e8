"""The overview stepper on the landing page, in a real browser with the network cut.

Serves the built book (``docs/_build/html``) on 127.0.0.1 with ``python -m http.server``,
opens it in Debian's chromium through Playwright, aborts every request that does not go to
127.0.0.1, and checks that the stepper plays, pauses and steps (buttons and keyboard), that
it announces the current step, shows a visible focus ring, and that without JavaScript all
steps are a plain list. Skips, saying why, when chromium, Playwright or the built
book is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
CHROMIUM = shutil.which("chromium")
CHAPTERS = [
    "slope",
    "rules",
    "partial",
    "gradient",
    "directional",
    "jacobian",
    "backprop",
    "hessian",
    "landscape",
]

pytestmark = pytest.mark.slow

if CHROMIUM is None:
    pytest.skip(
        "Debian chromium is missing (apt-get install -y chromium)", allow_module_level=True
    )
if not (BUILD / "index.html").exists():
    pytest.skip("the book is not built: no docs/_build/html/index.html", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


# ``server`` and ``browser`` come from tests/conftest.py, shared with tests/test_browser.py.


def _offline_page(browser, *, javascript: bool = True):
    context = browser.new_context(java_script_enabled=javascript)
    blocked: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if host == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, context.new_page(), blocked


def test_without_javascript_all_steps_are_a_list(browser, server):
    context, page, blocked = _offline_page(browser, javascript=False)
    page.goto(server)
    steps = page.locator(".sb-stepper .sb-step")
    assert steps.count() == len(CHAPTERS)
    for k in range(len(CHAPTERS)):
        assert steps.nth(k).is_visible()
        # One link to the step's chapter (a step may also cite a reference).
        assert steps.nth(k).locator("a[href^='chapters/']").count() == 1
    assert page.locator(".sb-stepper-controls").count() == 0
    assert blocked == [], f"the page asked the network for {blocked}"
    context.close()


def test_stepper_plays_pauses_and_steps_offline(browser, server):
    context, page, blocked = _offline_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server)
    root = page.locator(".sb-stepper")
    status = page.locator(".sb-stepper-status")
    sync_api.expect(root).to_have_attribute("data-current", "1")
    sync_api.expect(page.locator(".sb-step:visible")).to_have_count(1)
    sync_api.expect(status).to_have_text(f"Step 1 of {len(CHAPTERS)}: The slope of the hill")
    sync_api.expect(status).to_have_attribute("aria-live", "polite")
    for label in ("Previous step", "Play", "Next step"):
        sync_api.expect(page.get_by_role("button", name=label, exact=True)).to_have_count(1)
    sync_api.expect(page.get_by_role("button", name="Previous step")).to_be_disabled()

    # Buttons.
    page.get_by_role("button", name="Next step").click()
    sync_api.expect(root).to_have_attribute("data-current", "2")
    sync_api.expect(page.locator("#step-rules")).to_be_visible()
    sync_api.expect(page.locator("#step-slope")).to_be_hidden()

    # Keyboard on the panel: arrows step, Space plays and pauses.
    root.focus()
    page.keyboard.press("ArrowRight")
    sync_api.expect(root).to_have_attribute("data-current", "3")
    page.keyboard.press("ArrowLeft")
    sync_api.expect(root).to_have_attribute("data-current", "2")
    page.keyboard.press("End")
    sync_api.expect(root).to_have_attribute("data-current", str(len(CHAPTERS)))
    sync_api.expect(page.get_by_role("button", name="Next step")).to_be_disabled()
    page.keyboard.press("Home")
    sync_api.expect(root).to_have_attribute("data-current", "1")

    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press(" ")
    sync_api.expect(root).to_have_attribute("data-playing", "true")
    sync_api.expect(page.get_by_role("button", name="Pause")).to_have_count(1)
    sync_api.expect(status).to_have_attribute("aria-live", "off")
    sync_api.expect(root).to_have_attribute("data-current", "2", timeout=8000)  # it advances
    page.keyboard.press(" ")
    sync_api.expect(root).to_have_attribute("data-playing", "false")
    sync_api.expect(status).to_have_attribute("aria-live", "polite")
    paused_at = root.get_attribute("data-current")
    page.wait_for_timeout(4500)  # longer than one interval: a paused stepper stays put
    assert root.get_attribute("data-current") == paused_at
    assert page.evaluate("window.scrollY") == scrolled, "Space on the panel must not scroll"

    # The Play button works too, and a step button jumps there.
    page.get_by_role("button", name="Play").click()
    sync_api.expect(root).to_have_attribute("data-playing", "true")
    hessian = f"Step {CHAPTERS.index('hessian') + 1}"
    page.get_by_role("button", name=f"{hessian}: The Hessian").click()
    sync_api.expect(root).to_have_attribute("data-playing", "false")
    sync_api.expect(status).to_have_text(f"{hessian} of {len(CHAPTERS)}: The Hessian")
    sync_api.expect(page.get_by_role("button", name=f"{hessian}: The Hessian")).to_have_attribute(
        "aria-current", "step"
    )

    # A visible focus ring on keyboard focus.
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).outlineWidth"
    )
    assert not outline.startswith("none"), f"no visible focus outline: {outline}"

    assert errors == [], f"JavaScript errors: {errors}"
    assert blocked == [], f"the page asked the network for {blocked}"
    context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_step_links_to_its_chapter(browser, server, chapter):
    if not (ROOT / "docs" / "chapters" / f"{chapter}.md").exists():
        pytest.skip(f"chapter {chapter!r} is not on this branch yet (added when merged)")
    context, page, _ = _offline_page(browser, javascript=False)
    page.goto(server)
    href = page.locator(f"#step-{chapter} a[href^='chapters/']").get_attribute("href")
    assert href == f"chapters/{chapter}.html"
    response = page.goto(server + href)
    assert response is not None
    assert response.ok
    context.close()


def test_static_files_are_the_ones_served():
    """The stepper's files are copied into the build and linked from the page."""
    index = (BUILD / "index.html").read_text(encoding="utf-8")
    assert "_static/stepper.js" in index
    assert "_static/stepper.css" in index


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_accessibility_violations_in_the_stepper(browser, server, theme):
    axe_sync = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
    )
    # Reduced motion: no fade-in, so colours are checked as they settle, not mid-animation.
    context = browser.new_context(reduced_motion="reduce")
    context.route(
        "**/*",
        lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort(),
    )
    page = context.new_page()
    page.goto(server)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    for _ in range(len(CHAPTERS)):
        results = axe_sync.Axe().run(page, context=".sb-stepper")
        found = [
            (v["id"], node["html"][:80])
            for v in results.response["violations"]
            for node in v["nodes"]
        ]
        assert found == [], (
            f"step {page.locator('.sb-stepper').get_attribute('data-current')}: {found}"
        )
        if page.get_by_role("button", name="Next step").is_enabled():
            page.get_by_role("button", name="Next step").click()
    context.close()
