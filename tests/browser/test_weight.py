"""The built book is light, and its controls still work on the lighter CSS.

The build drops the stylesheet rules no page can match (docs/_ext/slopebook_purge.py,
``purge_unused_css``). What a reader's browser receives for each page, every request's body
(HTML, CSS, JavaScript, fonts, the search index where loaded), uncompressed, figures left
out, is held to 600 KB by test_browser.py's ``test_page`` (``MAX_PAGE_BYTES``), on the same
visit as that page's other checks, so that every page is opened once.

Here: the theme's stylesheet in the build is the purged one, and on pages served with it the
controls whose looks depend on classes that scripts add at run time still show and work,
offline, without a failed request or a script error: the search dialog and its results, the
dark-mode toggle, the navigation (sidebar, previous and next links, the download menu) and
the copy buttons.

Skips when Chromium or the built book is missing, and fails instead when ``CI`` is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from slopebook_tests_book import require_browser_and_book

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
DESKTOP = {"width": 1280, "height": 900}


require_browser_and_book("page weight tests")

pytest.importorskip("playwright.sync_api")

PAGES = sorted(
    p.relative_to(BUILD).as_posix()
    for p in BUILD.rglob("*.html")
    if not any(part.startswith("_") for part in p.relative_to(BUILD).parts[:-1])
)
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


@dataclass
class Seen:
    """What the page did besides being shown: requests elsewhere, failures, script errors."""

    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request to another host: {url}" for url in self.outside]
            + [f"failed request: {f}" for f in self.failed]
            + [f"script error: {e}" for e in self.errors]
        )


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Any]:
    """Open a page in a fresh context (empty cache) that can reach only the book."""
    contexts = []

    def _open(path: str, *, clipboard: bool = False) -> tuple[Any, Seen]:
        context = browser.new_context(viewport=DESKTOP, service_workers="block")
        contexts.append(context)
        if clipboard:
            context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=server.rstrip("/")
            )
        seen = Seen()

        def block(route: Any) -> None:
            seen.outside.append(route.request.url)
            route.abort()

        context.route(re.compile("^(?!" + re.escape(server) + ")"), block)
        page = context.new_page()
        page.on("requestfailed", lambda r: seen.failed.append(f"{r.url} ({r.failure})"))
        page.on(
            "response",
            lambda r: seen.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else 0,
        )
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.goto(urljoin(server, path), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page, seen

    yield _open
    for context in contexts:
        context.close()


def test_stylesheets_are_purged() -> None:
    """The theme's stylesheet in the build is the purged one, not the theme's full file."""
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    original = theme / "static" / "styles" / "pydata-sphinx-theme.css"
    built = BUILD / "_static" / "styles" / "pydata-sphinx-theme.css"
    assert built.stat().st_size < original.stat().st_size / 2


def test_search_dialog_and_results(visit: Any, server: str) -> None:
    """The search button opens a visible dialog; its results show and link into the book."""
    page, seen = visit("chapters/slope.html")
    page.locator("button.search-button__button:visible").first.click()
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible", timeout=5000)
    field.fill("Jacobian")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=Jacobian*")
    links = page.locator("#search-results ul.search li a")
    links.first.wait_for(state="visible", timeout=15000)
    hrefs = links.evaluate_all("as => as.map(a => a.href)")
    inside = [
        h
        for h in hrefs
        if h.startswith(server) and (BUILD / urlparse(h).path.lstrip("/")).is_file()
    ]
    assert inside, f"no search result for 'Jacobian' links to a page of the book: {hrefs}"
    assert not seen.problems(), seen.problems()


def test_dark_mode_changes_colours(visit: Any) -> None:
    """The toggle switches the theme and the page's colours; figures keep their white card."""
    page, seen = visit("chapters/slope.html")
    background = "getComputedStyle(document.body).backgroundColor"
    themes = []
    colours = {}
    for mode in ("dark", "light"):
        page.locator(".theme-switch-button").first.click()
        page.locator(f".theme-change-button[data-mode='{mode}']").first.click()
        page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'")
        themes.append(page.evaluate("document.documentElement.dataset.theme"))
        colours[mode] = page.evaluate(background)
        # Figures keep their white card and no dimming filter in either theme.
        figure = page.locator(".bd-content figure img").first
        style = figure.evaluate(
            "img => [getComputedStyle(img).filter, getComputedStyle(img).backgroundColor]"
        )
        assert style == ["none", "rgb(255, 255, 255)"], (mode, style)
    assert themes == ["dark", "light"]
    assert colours["dark"] != colours["light"], colours
    assert not seen.problems(), seen.problems()


def test_navigation_on_desktop(visit: Any) -> None:
    """The sidebar lists every chapter, next/previous links show, the download menu opens."""
    page, seen = visit("chapters/jacobian.html")
    sidebar = page.locator(".bd-sidebar-primary a.reference.internal")
    titles = sidebar.evaluate_all("as => as.filter(a => a.offsetParent).map(a => a.href)")
    assert len([t for t in titles if "/chapters/" in t]) >= len(CHAPTERS)
    following = page.locator("a.right-next")
    assert following.is_visible()
    target = following.evaluate("a => a.href")
    following.click()
    page.wait_for_url(target)
    menu = page.locator(".dropdown-download-buttons")
    menu.locator("button").first.click()
    page.locator(".dropdown-download-buttons .dropdown-menu").first.wait_for(state="visible")
    assert not seen.problems(), seen.problems()


def test_copy_button_shows_and_copies(visit: Any) -> None:
    """A code cell's copy button shows on hover, copies the code, and says it copied."""
    page, seen = visit("chapters/slope.html", clipboard=True)
    block = page.locator("div.cell_input div.highlight").first
    block.hover()
    button = block.locator("button.copybtn")
    page.wait_for_function("b => getComputedStyle(b).opacity !== '0'", arg=button.element_handle())
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == block.locator("pre").inner_text().strip()
    # The button shows that it copied (the class copybutton.js adds keeps its style).
    assert "success" in (button.get_attribute("class") or "")
    assert not seen.problems(), seen.problems()
