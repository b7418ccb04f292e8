"""The built book in a real browser: offline, light, accessible, and its controls work.

Serves ``docs/_build/html`` (build it first: ``nox -s docs``) on 127.0.0.1 and opens every
page in Debian's Chromium through Playwright. Any request to another host is aborted and
recorded, so a page that would fetch from a CDN fails here exactly as it would for a reader
without a network.

Pages checked: every ``.html`` file of the build except those under folders whose name
starts with ``_`` (``_static``, ``_sources``, ``_images``, ``_downloads``, ... hold assets,
not pages). The search page, genindex and the gallery and API pages are all included.

Every page is opened once, in one tab that goes from page to page with the HTTP cache off,
and gets the cheap checks on that visit: offline, maths typeset, images load and have alt
text, icons drawn with a glyph the served icon font has, no failed request, no script error,
nothing wider than a phone (390 px), and its weight: what the browser receives for the page
once its network has been quiet for 250 ms, every request's body uncompressed, figures left
out (image requests, and images inlined as base64), at most :data:`MAX_PAGE_BYTES`; a page
over it is reported with its five heaviest requests. axe-core, which costs a second or
more a page, runs on every page written by hand (chapters, appendix, gallery, overview,
references, ...) and on the first API page made from each autosummary template (module,
class, function, other): the hundred-odd API pages of one template differ only in their
text, not in their markup. Solutions stay hidden until opened, and every animation and
stepper plays, pauses and steps. (test_weight.py checks search, dark mode, navigation and
copy buttons; test_explorables.py and test_stepper.py the explorables and the stepper.)

Skips when Chromium (``chromium`` on PATH) or the built book is missing, unless the
environment variable ``CI`` is set: in CI a missing browser or book is a failure.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import pytest
from slopebook_tests_book import PHONE, WIDTH_JS, require_browser_and_book

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: Bytes the browser may receive for one page, all requests, uncompressed, figures excluded.
MAX_PAGE_BYTES = 600_000
DESKTOP = {"width": 1280, "height": 900}


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

# What one page shows once loaded, asked in one round trip: the images (loaded now, the theme
# marks them lazy), the text outside code, scripts and the MathML copy KaTeX keeps for screen
# readers, what KaTeX failed or did not typeset, and every glyph an element or pseudo-element
# draws with a Font Awesome font.
PAGE_JS = """async () => {
  await document.fonts.ready;
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
  await document.fonts.ready;

  const skip = "pre, code, script, style, textarea, .katex-mathml";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement.closest(skip)) parts.push(node.textContent);
  }

  const icons = [];
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
        icons.push({glyph: ch.codePointAt(0), where: el.className + (pseudo || "")});
      }
    }
  }

  return {
    images: images.map(img => ({
      src: img.currentSrc || img.src || img.id,
      alt: img.getAttribute("alt"),
      width: img.naturalWidth,
    })),
    text: parts.join(" "),
    katexErrors: document.querySelectorAll(".katex-error").length,
    untypeset: document.querySelectorAll(".math:not(:has(.katex))").length,
    icons,
  };
}"""


@dataclass
class Visit:
    """What a browser saw while opening one page."""

    path: str
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)
    pending: set[Any] = field(default_factory=set)
    #: When a request of the page last started or ended (``time.monotonic()``).
    active: float = field(default_factory=time.monotonic)

    def started(self, request: Any) -> None:
        self.pending.add(request)
        self.active = time.monotonic()

    def ended(self, request: Any) -> None:
        self.pending.discard(request)
        self.active = time.monotonic()

    def received(self) -> dict[str, int]:
        """Bytes the browser received for each URL, all finished requests but figures.

        The book is served as plain files (tests/conftest.py's ``server``): what arrives for
        a request is its file of the build, byte for byte, so its size on disk is what the
        browser received, uncompressed (asking the browser costs a round trip a request).
        Anything else that answered (none of the book's pages makes such a request) is
        measured by the browser. Figures are left out: image requests, and images inlined
        into a page as base64 (matplotlib's jshtml animation frames).
        """
        sizes: dict[str, int] = {}
        for request in self.requests:
            if request.resource_type == "image":
                continue
            file = BUILD / unquote(urlparse(request.url).path).lstrip("/")
            if file.is_file():
                data = file.read_bytes()
                size = len(data)
            else:
                response = request.response()
                if response is None or response.status >= 400:
                    continue  # reported among the failed requests
                size = request.sizes()["responseBodySize"]
                data = response.body() if request.resource_type == "document" else b""
            if request.resource_type == "document":
                size -= sum(len(m) for m in INLINE_IMAGE.findall(data))
            sizes[request.url] = sizes.get(request.url, 0) + size
        return sizes


def _watch(page: Any, server: str, current: Callable[[], Visit]) -> None:
    """Record into ``current()`` what ``page`` asks of the network; only the book answers."""

    def block(route: Any) -> None:
        current().outside.append(route.request.url)
        route.abort()

    def finished(request: Any) -> None:
        current().requests.append(request)
        current().ended(request)

    def failed(request: Any) -> None:
        current().failed.append(f"{request.url} ({request.failure})")
        current().ended(request)

    def response(response: Any) -> None:
        if response.status >= 400:
            current().failed.append(f"{response.url} (HTTP {response.status})")

    # Every URL that is not the book's goes to `block`. The pattern is matched by
    # Playwright's driver, so the book's own requests never make a round trip through
    # Python. Routing also turns the HTTP cache off for the page: every page fetches
    # everything it uses.
    page.route(re.compile("^(?!" + re.escape(server) + ")"), block)
    page.on("request", lambda r: current().started(r))
    page.on("requestfinished", finished)
    page.on("requestfailed", failed)
    page.on("response", response)
    page.on("pageerror", lambda e: current().errors.append(str(e)))


def _visit(context: Any, server: str, path: str) -> tuple[Any, Visit]:
    """Open a page of the book in a new tab of ``context``, able to reach only the book."""
    visit = Visit(path)
    page = context.new_page()
    _watch(page, server, lambda: visit)
    page.goto(urljoin(server, path), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, visit


class Reader:
    """One tab that opens the book's pages one after another, for the page-by-page checks.

    Opening a tab costs about as much as loading a small page; the checks change no state a
    later page could see (no clicks, no storage), routing keeps the HTTP cache off, and
    between two pages the tab goes to about:blank, so that whatever the last page still had
    under way ends there, before the next page's :class:`Visit` begins.
    """

    def __init__(self, context: Any, server: str) -> None:
        self.context = context
        self.server = server
        self.visit = Visit("about:blank")
        self.page = self._new_tab()

    def _new_tab(self) -> Any:
        page = self.context.new_page()
        _watch(page, self.server, lambda: self.visit)
        return page

    def open(self, path: str) -> tuple[Any, Visit]:
        self.visit = Visit(path)
        self.page.goto(urljoin(self.server, path), wait_until="load")
        return self.page, self.visit

    def leave(self) -> None:
        """Back to about:blank at desktop width (a fresh tab if that fails)."""
        try:
            self.page.goto("about:blank")
            self.page.set_viewport_size(DESKTOP)
        except sync_api.Error:
            self.page.close()
            self.page = self._new_tab()

    def quiet(self, idle: float = 0.25, timeout: float = 30.0) -> list[str]:
        """Wait until no request has been under way for ``idle`` seconds.

        Playwright's ``networkidle`` (no request for 500 ms), from the page's own request
        events: that load state sometimes never comes although nothing is loading
        (microsoft/playwright#19835). Counted from the start of the visit, so a request the
        page makes late, or that the checks made it make, is waited for and weighed. It is
        called once the page has loaded and its fonts and images have settled, so a shorter
        window than Playwright's suffices: with 250 ms and with 500 ms, every page of the
        book weighed the same bytes in the same number of requests (measured on all 147).
        """
        deadline = time.monotonic() + timeout
        while True:
            left = self.visit.active + idle - time.monotonic()
            if not self.visit.pending and left <= 0:
                return []
            if time.monotonic() > deadline:
                return [
                    f"still loading after {timeout:.0f} s: {r.url}" for r in self.visit.pending
                ]
            self.page.wait_for_timeout(max(left, 0.02) * 1000)  # events arrive meanwhile


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


@pytest.fixture(scope="module")
def reader(browser: Any, server: str) -> Iterator[Reader]:
    """One context and one tab for the page-by-page checks, which only look (a page each)."""
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    yield Reader(context, server)
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page(path: str, reader: Reader, axe: Any, icon_glyphs: set[int]) -> None:
    """Offline, maths typeset, images with alt text, light, accessible, fits a phone."""
    page, visit = reader.open(path)
    try:
        _check_page(path, reader, page, visit, axe, icon_glyphs)
    finally:
        reader.leave()


def _check_page(
    path: str, reader: Reader, page: Any, visit: Visit, axe: Any, icon_glyphs: set[int]
) -> None:
    shown = page.evaluate(PAGE_JS)
    problems: list[str] = []

    raw = sorted({m.group(0) for m in RAW_TEX.finditer(shown["text"])})
    if raw:
        problems.append(f"untypeset TeX in the page text: {raw}")
    if shown["katexErrors"]:
        problems.append(f"{shown['katexErrors']} formulas KaTeX could not typeset")
    if shown["untypeset"]:
        problems.append(f"{shown['untypeset']} maths elements without KaTeX output")

    for img in shown["images"]:
        if img["width"] == 0:
            problems.append(f"image did not load: {img['src']}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {img['src']}")

    missing = {g["glyph"]: g["where"] for g in shown["icons"]}
    missing = {hex(cp): where for cp, where in missing.items() if cp not in icon_glyphs}
    if missing:
        problems.append(f"icons with no glyph in the served icon font: {missing}")

    if path.startswith("chapters/"):
        problems += _notebook_download_problems(page)

    # Weight: everything the page asked for until the network went quiet, and anything
    # the checks above made it load since.
    problems += reader.quiet()
    sizes = visit.received()
    received = sum(sizes.values())
    print(f"{path}: {received:,} B in {len(visit.requests)} requests (figures excluded)")
    if received > MAX_PAGE_BYTES:
        heaviest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
        detail = "".join(f"\n      {size:>9,} B  {url}" for url, size in heaviest)
        problems.append(
            f"page weight {received:,} B in {len(visit.requests)} requests > "
            f"{MAX_PAGE_BYTES:,} B; the heaviest:{detail}"
        )
    # What the page itself requested. axe fetches stylesheets again for its own analysis
    # (and resolves their @import against the page, not the sheet: a spurious basic.css 404).
    problems += [f"request to another host: {url}" for url in visit.outside]
    problems += [f"failed request: {f}" for f in visit.failed]

    if path in AXE_PAGES:
        problems += _axe_problems(axe, page)

    page.set_viewport_size(PHONE)
    width = page.evaluate(WIDTH_JS, PHONE["width"])
    if width["viewport"] != PHONE["width"]:
        problems.append(f"the viewport did not become {PHONE['width']} px wide: {width}")
    elif width["content"] > PHONE["width"]:
        problems.append(
            f"scrolls sideways at {PHONE['width']} px: content is {width['content']} px wide"
        )

    problems += [f"script error: {e}" for e in visit.errors]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def test_solution_hidden_until_opened(open_page: Any) -> None:
    page, visit = open_page("chapters/slope.html")
    solution = page.locator(".solution.dropdown").first
    body = solution.locator("section").first
    assert solution.count() == 1
    assert not body.is_visible(), "the solution is shown before the reader asks for it"
    solution.locator(".toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert not visit.errors


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
