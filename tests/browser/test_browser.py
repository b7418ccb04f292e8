"""The built book in a real browser: offline, light, accessible, and every control works.

Serves ``docs/_build/html`` (build it first: ``nox -s docs``) on 127.0.0.1 and opens every
page in Debian's Chromium through Playwright. Any request to another host is aborted and
recorded, so a page that would fetch from a CDN fails here exactly as it would for a reader
without a network.

Pages checked: every ``.html`` file of the build except those under folders whose name
starts with ``_`` (``_static``, ``_sources``, ``_images``, ``_downloads``, ... hold assets,
not pages). The search page, genindex and the gallery and API pages are all included.

Every page gets the cheap checks (offline, maths typeset, images load and have alt text,
icons drawn, weight, failed requests, phone width, script errors). axe-core, which costs
about a second a page, runs on every page written by hand (chapters, appendix, gallery,
overview, references, ...) and on the first API page made from each autosummary template
(module, class, function, other): the hundred-odd API pages of one template differ only
in their text, not in their markup.

Skips when Chromium (``chromium`` on PATH) or the built book is missing, unless the
environment variable ``CI`` is set: in CI a missing browser or book is a failure.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import pytest
from slopebook_tests_book import require_browser_and_book

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: Bytes the browser may receive for one page, all requests, uncompressed, figures excluded.
MAX_PAGE_BYTES = 1_000_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


require_browser_and_book("browser tests")

sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
ttLib = pytest.importorskip("fontTools.ttLib")

pytestmark = pytest.mark.slow

PAGES = sorted(
    p.relative_to(BUILD).as_posix()
    for p in BUILD.rglob("*.html")
    if not any(part.startswith("_") for part in p.relative_to(BUILD).parts[:-1])
)


def _api_kind(path: str) -> str | None:
    """Which autosummary template made a generated API page: module, class, function, data."""
    import importlib
    import inspect

    if not path.startswith("generated/"):
        return None
    name = path.removeprefix("generated/").removesuffix(".html")
    module, _, attr = name.rpartition(".")
    try:
        obj = importlib.import_module(name)
    except ImportError:
        obj = getattr(importlib.import_module(module), attr)
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    return "function" if callable(obj) else "data"


def _axe_pages() -> set[str]:
    first: dict[str, str] = {}
    hand = set()
    for path in PAGES:
        kind = _api_kind(path)
        if kind is None:
            hand.add(path)
        else:
            first.setdefault(kind, path)
    return hand | set(first.values())


AXE_PAGES = _axe_pages()

# TeX that should have become typeset maths: \( \[ $$ \begin{...} or a common command.
RAW_TEX = re.compile(
    r"\\\(|\\\[|\$\$|\\begin\{|\\(?:frac|lim|sum|int|partial|nabla|mathbf|mathrm|sqrt|"
    r"left|right|cdot|varepsilon|alpha|theta|operatorname)(?![a-zA-Z])"
)
# An image inlined as base64 (jshtml frames continue their lines with a backslash).
INLINE_IMAGE = re.compile(rb"data:image/[a-z+.-]+;base64,(?:[A-Za-z0-9+/=]|\\\n)+")

# Text of the page outside code, scripts and the MathML copy KaTeX keeps for screen readers.
PAGE_TEXT_JS = """() => {
  const skip = "pre, code, script, style, textarea, .katex-mathml";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement.closest(skip)) parts.push(node.textContent);
  }
  return parts.join(" ");
}"""

# Load every image now (the theme marks them lazy), then report each one.
IMAGES_JS = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = "eager"; });
  const settle = img => img.complete ? null : new Promise(resolve => {
    img.addEventListener("load", resolve, {once: true});
    img.addEventListener("error", resolve, {once: true});
  });
  await Promise.race([
    Promise.all(images.map(settle)),
    new Promise(resolve => setTimeout(resolve, 10000)),
  ]);
  return images.map(img => ({
    src: img.currentSrc || img.src || img.id,
    alt: img.getAttribute("alt"),
    width: img.naturalWidth,
  }));
}"""

# Every glyph an element or pseudo-element draws with a Font Awesome font.
ICON_GLYPHS_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if (!style.fontFamily.includes("Font Awesome")) continue;
      let text;
      if (pseudo === null) {
        text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join("");
      } else {
        // The drawn string of e.g. `"\\f0c9" / ""` (the part after / is its alt text).
        const m = style.content.match(/^"((?:[^"\\\\]|\\\\.)*)"/);
        text = m ? m[1].replace(/\\\\(.)/g, "$1") : "";
      }
      for (const ch of text.replace(/\\s/g, "")) {
        found.push({glyph: ch.codePointAt(0), where: el.className + (pseudo || "")});
      }
    }
  }
  return found;
}"""


@dataclass
class Visit:
    """What a browser saw while opening one page."""

    path: str
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def page_bytes(self) -> tuple[int, int]:
        """(bytes received without figures, number of requests).

        Every request the book serves is a file of the build, sent as it is, so its size on
        disk is what the browser received (asking the browser for each response's size
        costs a round trip per request).
        """
        total = 0
        for request in self.requests:
            if request.resource_type == "image":
                continue
            file = BUILD / unquote(urlparse(request.url).path).lstrip("/")
            if not file.is_file():
                continue  # a 404: reported among the failed requests
            data = file.read_bytes()
            if request.resource_type == "document":
                # Figures inlined into the page (matplotlib's jshtml animation frames).
                data = INLINE_IMAGE.sub(b"", data)
            total += len(data)
        return total, len(self.requests)


# ``server`` and ``browser`` come from tests/conftest.py, shared with tests/test_stepper.py.


@pytest.fixture(scope="session")
def axe() -> Any:
    return axe_playwright.Axe()


@pytest.fixture(scope="session")
def icon_glyphs() -> set[int]:
    """Code points the icon webfonts served with the book actually contain."""
    fonts = sorted((BUILD / "_static").rglob("fa-*.woff2"))
    assert fonts, "no Font Awesome webfonts in the build"
    return {cp for path in fonts for cp in ttLib.TTFont(path).getBestCmap()}


def _visit(context: Any, server: str, path: str) -> tuple[Any, Visit]:
    """Open a page of the book in ``context``, able to reach only the book, and watch it."""
    visit = Visit(path)

    def block(route: Any) -> None:
        visit.outside.append(route.request.url)
        route.abort()

    page = context.new_page()
    # Every URL that is not the book's goes to `block`. The pattern is matched inside the
    # browser, so the book's own requests never make a round trip through Python. Routing
    # also turns the HTTP cache off for the page: every page fetches everything it uses.
    page.route(re.compile("^(?!" + re.escape(server) + ")"), block)
    page.on("requestfinished", lambda r: visit.requests.append(r))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: visit.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else 0,
    )
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    page.goto(urljoin(server, path), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, visit


@pytest.fixture
def open_page(browser: Any, server: str) -> Iterator[Any]:
    """Open a page of the book in a fresh context (empty cache) that can reach only it."""
    contexts = []

    def _open(
        path: str, viewport: dict[str, int] = DESKTOP, *, clock: bool = False
    ) -> tuple[Any, Visit]:
        context = browser.new_context(viewport=viewport, service_workers="block")
        contexts.append(context)
        if clock:  # the page's timers run only when the test advances them
            context.clock.install()
        return _visit(context, server, path)

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def reader(browser: Any) -> Iterator[Any]:
    """One browser context for the page-by-page checks, which only look (a page each).

    A context costs about as much as opening a page; the checks change no state a later
    page could see (no clicks, no storage), and routing keeps the HTTP cache off.
    """
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    yield context
    context.close()


def _notebook_download_problems(page: Any) -> list[str]:
    """A chapter offers itself as an executed notebook (.ipynb) that downloads and parses."""
    links = page.locator("a[href$='.ipynb']")
    if links.count() == 0:
        return ["no .ipynb download link on a chapter page"]
    href = links.first.evaluate("a => a.href")
    response = page.request.get(href)
    if not response.ok:
        return [f"notebook download {href} -> HTTP {response.status}"]
    notebook = json.loads(response.body())
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    return [] if outputs else [f"the notebook {href} has no executed outputs"]


def _axe_problems(axe: Any, page: Any) -> list[str]:
    """Serious and critical axe-core findings on the page as it is shown now."""
    # KaTeX's visual layer is aria-hidden (screen readers get its MathML) and inherits the
    # colours of the text around it; leaving it out makes axe several times faster.
    results = axe.run(page, context={"exclude": [[".katex-html"]]})
    violations = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    ]


def test_axe_covers_every_hand_written_page_and_every_template() -> None:
    """The axe sample: all chapters, appendix and gallery pages, one page per API template."""
    kinds = {_api_kind(p) for p in AXE_PAGES} - {None}
    assert {"module", "class", "function"} <= kinds, kinds
    for prefix in ("chapters/", "appendix/", "auto_examples/"):
        pages = [p for p in PAGES if p.startswith(prefix)]
        assert pages, f"no {prefix} pages in the build"
        assert set(pages) <= AXE_PAGES, prefix


@pytest.mark.parametrize("path", PAGES)
def test_page(path: str, reader: Any, server: str, axe: Any, icon_glyphs: set[int]) -> None:
    """Offline, maths typeset, images with alt text, light, accessible, fits a phone."""
    page, visit = _visit(reader, server, path)
    try:
        _check_page(path, page, visit, axe, icon_glyphs)
    finally:
        page.close()


def _check_page(path: str, page: Any, visit: Visit, axe: Any, icon_glyphs: set[int]) -> None:
    images = page.evaluate(IMAGES_JS)
    page.evaluate("document.fonts.ready.then(() => true)")
    problems: list[str] = []

    text = page.evaluate(PAGE_TEXT_JS)
    raw = sorted({m.group(0) for m in RAW_TEX.finditer(text)})
    if raw:
        problems.append(f"untypeset TeX in the page text: {raw}")
    broken = page.locator(".katex-error").count()
    if broken:
        problems.append(f"{broken} formulas KaTeX could not typeset")
    untypeset = page.locator(".math:not(:has(.katex))").count()
    if untypeset:
        problems.append(f"{untypeset} maths elements without KaTeX output")

    for img in images:
        if img["width"] == 0:
            problems.append(f"image did not load: {img['src']}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {img['src']}")

    missing = {g["glyph"]: g["where"] for g in page.evaluate(ICON_GLYPHS_JS)}
    missing = {hex(cp): where for cp, where in missing.items() if cp not in icon_glyphs}
    if missing:
        problems.append(f"icons with no glyph in the served icon font: {missing}")

    received, count = visit.page_bytes()
    print(f"{path}: {received:,} B in {count} requests (figures excluded)")
    if received > MAX_PAGE_BYTES:
        problems.append(f"page weight {received:,} B in {count} requests > {MAX_PAGE_BYTES:,} B")
    # What the page itself requested. axe fetches stylesheets again for its own analysis
    # (and resolves their @import against the page, not the sheet: a spurious basic.css 404).
    problems += [f"request to another host: {url}" for url in visit.outside]
    problems += [f"failed request: {f}" for f in visit.failed]

    if path.startswith("chapters/"):
        problems += _notebook_download_problems(page)

    if path in AXE_PAGES:
        problems += _axe_problems(axe, page)

    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)
    width = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
    if width > PHONE["width"]:
        problems.append(f"scrolls sideways at {PHONE['width']} px: content is {width} px wide")

    problems += [f"script error: {e}" for e in visit.errors]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def test_search_finds_jacobian(open_page: Any, server: str) -> None:
    """The search box of a chapter leads to results that link into the book."""
    page, visit = open_page("chapters/slope.html")
    page.locator("button.search-button__button:visible").first.click()
    field = page.locator("#pst-search-dialog input[name='q']")
    field.fill("Jacobian")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=Jacobian*")
    links = page.locator("#search-results ul.search li a")
    links.first.wait_for(timeout=15000)
    hrefs = links.evaluate_all("as => as.map(a => a.href)")
    inside = [
        h
        for h in hrefs
        if h.startswith(server) and (BUILD / urlparse(h).path.lstrip("/")).is_file()
    ]
    assert inside, f"no search result for 'Jacobian' links to a page of the book: {hrefs}"
    assert not visit.outside
    assert not visit.failed
    assert not visit.errors


def test_dark_mode_toggle(open_page: Any) -> None:
    page, visit = open_page("chapters/slope.html")
    seen = []
    for mode in ("dark", "light"):
        page.locator(".theme-switch-button").first.click()
        page.locator(f".theme-change-button[data-mode='{mode}']").first.click()
        page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'")
        seen.append(page.evaluate("document.documentElement.dataset.theme"))
        # Figures keep their white card and no dimming filter in either theme.
        figure = page.locator(".bd-content figure img").first
        style = figure.evaluate(
            "img => [getComputedStyle(img).filter, getComputedStyle(img).backgroundColor]"
        )
        assert style == ["none", "rgb(255, 255, 255)"], (mode, style)
    assert seen == ["dark", "light"]
    assert not visit.errors


def test_solution_hidden_until_opened(open_page: Any) -> None:
    page, visit = open_page("chapters/slope.html")
    solution = page.locator(".solution.dropdown").first
    body = solution.locator("section").first
    assert solution.count() == 1
    assert not body.is_visible(), "the solution is shown before the reader asks for it"
    solution.locator(".toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert not visit.errors


def test_copy_button_copies_code(browser: Any, server: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    try:
        page = context.new_page()
        page.goto(urljoin(server, "chapters/slope.html"))
        block = page.locator("div.cell_input div.highlight").first
        block.hover()
        block.locator("button.copybtn").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        code = block.locator("pre").inner_text()
        assert copied.strip() == code.strip()
    finally:
        context.close()


def _animated_pages() -> list[str]:
    marker = re.compile(rb'class="animation"|class="[^"]*\bsb-stepper\b')
    return [p for p in PAGES if marker.search((BUILD / p).read_bytes())]


ANIMATED = _animated_pages() or [
    pytest.param("", marks=pytest.mark.skip(reason="no page of this build has an animation"))
]


@pytest.mark.parametrize("path", ANIMATED)
def test_animations_play_pause_and_step(path: str, open_page: Any) -> None:
    """Every jshtml animation and every overview stepper steps, plays and pauses, offline."""
    page, visit = open_page(path, clock=True)
    animations = page.locator(".animation").all()
    steppers = page.locator(".sb-stepper").all()
    assert animations or steppers

    def button(root: Any, name: str) -> Any:
        return root.get_by_role("button", name=name, exact=True)

    frame = "el => el.querySelector('img').getAttribute('src')"
    for anim in animations:
        anim.scroll_into_view_if_needed()
        first = anim.evaluate(frame)
        button(anim, "Next frame").click()
        second = anim.evaluate(frame)
        assert second != first, f"{path}: 'Next frame' did not change the frame"
        button(anim, "Previous frame").click()
        assert anim.evaluate(frame) == first, f"{path}: 'Previous frame' did not go back"
        button(anim, "Play").click()
        page.clock.run_for(3000)
        button(anim, "Pause").click()
        paused = anim.evaluate(frame)
        assert paused != first, f"{path}: 'Play' did not advance the animation"
        page.clock.run_for(3000)
        assert anim.evaluate(frame) == paused, f"{path}: 'Pause' did not stop the animation"

    shown = "el => el.querySelector('.sb-stepper-steps > :not([hidden])').id"
    for stepper in steppers:
        stepper.scroll_into_view_if_needed()
        first = stepper.evaluate(shown)
        button(stepper, "Next step").click()
        second = stepper.evaluate(shown)
        assert second != first, f"{path}: the stepper's 'Next step' did not change the step"
        button(stepper, "Previous step").click()
        assert stepper.evaluate(shown) == first, f"{path}: 'Previous step' did not go back"
        interval = int(stepper.get_attribute("data-interval") or 4000)
        button(stepper, "Play").click()
        page.clock.run_for(interval + 100)
        assert stepper.evaluate(shown) == second, f"{path}: 'Play' did not advance the stepper"
        button(stepper, "Pause").click()
        page.clock.run_for(3 * interval)
        assert stepper.evaluate(shown) == second, f"{path}: 'Pause' did not stop the stepper"

    assert not visit.outside
    assert not visit.failed
    assert not visit.errors
