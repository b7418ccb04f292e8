"""The overview stepper on the landing page, in a real browser with the network cut.

Serves the built book (``docs/_build/html``) on 127.0.0.1 (tests/conftest.py's ``server``),
opens it in Debian's chromium through Playwright, aborts every request that does not go to
that server, and checks that the stepper plays, pauses and steps (buttons and keyboard; the
page's clock is played forward instead of waited for), that it announces the current step,
shows a visible focus ring, has no axe finding in either theme at any step, and that without
JavaScript all steps are a plain list, each linking to its chapter. Skips, saying why, when
chromium, Playwright or the built book is missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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


def _offline_page(browser, server, **options):
    """A fresh context whose requests anywhere but the book are aborted and recorded."""
    context = browser.new_context(**options)
    blocked: list[str] = []

    def route(r):
        blocked.append(r.request.url)
        r.abort()

    # Only the URLs that are not the book's reach `route` (the book's own requests are
    # let through by Playwright without a round trip through Python).
    context.route(re.compile("^(?!" + re.escape(server) + ")"), route)
    return context, context.new_page(), blocked


@pytest.fixture(scope="module")
def static_landing(browser, server):
    """The landing page with JavaScript off, loaded once for the tests that only read it."""
    context, page, blocked = _offline_page(browser, server, java_script_enabled=False)
    page.goto(server)
    yield page, blocked
    context.close()


def test_without_javascript_all_steps_are_a_list(static_landing):
    page, blocked = static_landing
    steps = page.locator(".sb-stepper .sb-step")
    assert steps.count() == len(CHAPTERS)
    for k in range(len(CHAPTERS)):
        assert steps.nth(k).is_visible()
        # One link to the step's chapter (a step may also cite a reference).
        assert steps.nth(k).locator("a[href^='chapters/']").count() == 1
    assert page.locator(".sb-stepper-controls").count() == 0
    assert blocked == [], f"the page asked the network for {blocked}"


def test_stepper_plays_pauses_and_steps_offline(browser, server):
    context, page, blocked = _offline_page(browser, server)
    # The page's timers run in real time and, where the test says so, faster: the clock
    # plays an interval at once instead of the test waiting for it.
    context.clock.install()
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
    interval = int(root.get_attribute("data-interval") or 4000)
    page.clock.run_for(interval + 100)
    sync_api.expect(root).to_have_attribute("data-current", "2")  # it advances
    page.keyboard.press(" ")
    sync_api.expect(root).to_have_attribute("data-playing", "false")
    sync_api.expect(status).to_have_attribute("aria-live", "polite")
    paused_at = root.get_attribute("data-current")
    page.clock.run_for(interval + 500)  # longer than one interval: a paused stepper stays put
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
def test_each_step_links_to_its_chapter(static_landing, server, chapter):
    if not (ROOT / "docs" / "chapters" / f"{chapter}.md").exists():
        pytest.skip(f"chapter {chapter!r} is not on this branch yet (added when merged)")
    page, _ = static_landing
    href = page.locator(f"#step-{chapter} a[href^='chapters/']").get_attribute("href")
    assert href == f"chapters/{chapter}.html"
    # The link's target is served (the chapter itself is checked page by page in
    # test_browser.py's test_page).
    response = page.request.get(server + href)
    assert response.ok, f"{href}: HTTP {response.status}"


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
    context, page, _ = _offline_page(browser, server, reduced_motion="reduce")
    page.goto(server)
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    page.evaluate(axe_sync.Axe().axe_script)  # once: the page stays, only the step changes
    for _ in range(len(CHAPTERS)):
        results = page.evaluate("c => axe.run(c, {resultTypes: ['violations']})", ".sb-stepper")
        found = [
            (v["id"], node["html"][:80]) for v in results["violations"] for node in v["nodes"]
        ]
        assert found == [], (
            f"step {page.locator('.sb-stepper').get_attribute('data-current')}: {found}"
        )
        if page.get_by_role("button", name="Next step").is_enabled():
            page.get_by_role("button", name="Next step").click()
    context.close()
