"""Every page of the built book is light, and its controls still work on the lighter CSS.

The build drops the stylesheet rules no page can match (docs/_ext/slopebook_purge.py,
``purge_unused_css``). This measures, in Chromium, what a reader's browser receives for each
page: every request's body (HTML, CSS, JavaScript, fonts, the search index where loaded),
uncompressed, with figures left out (image requests, and images inlined into the page as
base64, such as animation frames). Each page must stay within :data:`MAX_PAGE_BYTES`.

Then, on pages served with the purged stylesheets, the controls whose looks depend on
classes that scripts add at run time must still show and work: the search dialog and its
results, the dark-mode toggle, the navigation (sidebar, previous and next links, the download
menu) and the copy buttons.

Skips when Chromium or the built book is missing, and fails instead when ``CI`` is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from slopebook_tests_book import require_browser_and_book

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"

#: Bytes one page may make the browser receive, figures excluded.
MAX_PAGE_BYTES = 600_000
DESKTOP = {"width": 1280, "height": 900}
INLINE_IMAGE = re.compile(rb"data:image/[a-z+.-]+;base64,(?:[A-Za-z0-9+/=]|\\\n)+")


require_browser_and_book("page weight tests")

pytest.importorskip("playwright.sync_api")

PAGES = sorted(
    p.relative_to(BUILD).as_posix()
    for p in BUILD.rglob("*.html")
    if not any(part.startswith("_") for part in p.relative_to(BUILD).parts[:-1])
)
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


def received_bytes(requests: list[Any]) -> dict[str, int]:
    """Bytes of every finished request but figures, by URL (inlined images subtracted)."""
    sizes = {}
    for request in requests:
        if request.resource_type == "image":
            continue
        size = request.sizes()["responseBodySize"]
        if request.resource_type == "document":
            response = request.response()
            if response is not None:
                size -= sum(len(m) for m in INLINE_IMAGE.findall(response.body()))
        sizes[request.url] = sizes.get(request.url, 0) + size
    return sizes


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Any]:
    """Open a page in a fresh context (empty cache); return the page and its requests."""
    contexts = []

    def _open(path: str, viewport: dict[str, int] = DESKTOP) -> tuple[Any, list[Any]]:
        context = browser.new_context(viewport=viewport, service_workers="block")
        contexts.append(context)
        context.route(re.compile("^(?!" + re.escape(server) + ")"), lambda r: r.abort())
        page = context.new_page()
        requests: list[Any] = []
        errors: list[str] = []
        page.on("requestfinished", lambda r: requests.append(r))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(urljoin(server, path), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.wait_for_load_state("networkidle")
        page.errors = errors  # type: ignore[attr-defined]
        return page, requests

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_weight(path: str, visit: Any) -> None:
    """What the browser receives for the page, figures aside, is at most 600 KB."""
    _, requests = visit(path)
    sizes = received_bytes(requests)
    total = sum(sizes.values())
    heaviest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    detail = "\n  ".join(f"{size:>9,} B  {url}" for url, size in heaviest)
    assert total <= MAX_PAGE_BYTES, f"{path}: {total:,} B > {MAX_PAGE_BYTES:,} B\n  {detail}"


def test_stylesheets_are_purged() -> None:
    """The theme's stylesheet in the build is the purged one, not the theme's full file."""
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    original = theme / "static" / "styles" / "pydata-sphinx-theme.css"
    built = BUILD / "_static" / "styles" / "pydata-sphinx-theme.css"
    assert built.stat().st_size < original.stat().st_size / 2


def test_search_dialog_and_results(visit: Any, server: str) -> None:
    """The search button opens a visible dialog; its results are listed and visible."""
    page, _ = visit("chapters/jacobian.html")
    page.locator("button.search-button__button:visible").first.click()
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible", timeout=5000)
    field.fill("gradient")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=gradient*")
    result = page.locator("#search-results ul.search li a").first
    result.wait_for(state="visible", timeout=15000)
    assert not page.errors


def test_dark_mode_changes_colours(visit: Any) -> None:
    """The toggle switches the theme, and the page's colours change with it."""
    page, _ = visit("chapters/jacobian.html")
    background = "getComputedStyle(document.body).backgroundColor"
    colours = {}
    for mode in ("dark", "light"):
        page.locator(".theme-switch-button").first.click()
        page.locator(f".theme-change-button[data-mode='{mode}']").first.click()
        page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'")
        colours[mode] = page.evaluate(background)
    assert colours["dark"] != colours["light"], colours
    assert not page.errors


def test_navigation_on_desktop(visit: Any, server: str) -> None:
    """The sidebar lists every chapter, next/previous links show, the download menu opens."""
    page, _ = visit("chapters/jacobian.html")
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
    assert not page.errors


def test_copy_button_shows_and_copies(browser: Any, server: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    try:
        page = context.new_page()
        page.goto(urljoin(server, "chapters/jacobian.html"))
        block = page.locator("div.cell_input div.highlight").first
        block.hover()
        button = block.locator("button.copybtn")
        page.wait_for_function(
            "b => getComputedStyle(b).opacity !== '0'", arg=button.element_handle()
        )
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == block.locator("pre").inner_text().strip()
        # The button shows that it copied (the class copybutton.js adds keeps its style).
        assert "success" in (button.get_attribute("class") or "")
    finally:
        context.close()
