"""The explorables in a real browser: live numbers that match slopebook, offline, accessible.

Every page of the built book (``docs/_build/html``) that holds an ``explorable`` element is
opened once in Debian's Chromium with every request to another host aborted. On that one
page the test sets each control to the positions in the explorable's ``data-checks`` (the
values slopebook computes there, written by the build from docs/_ext/explorable_checks.py)
and compares every readout's full value (its ``data-value``) with slopebook's, within the
tolerance the case states (none: exact); it then checks that the keyboard moves every
control and its readouts, that axe finds nothing serious in the light and the dark theme,
that nothing scrolls sideways at 390 px, that print and prefers-reduced-motion are honoured,
and that the page loads the scripts of its own explorables and no others, at most 40 KB.
One more context, with JavaScript off, checks that every explorable shows its static
figure with alt text instead. Every script's explorable must be on a page of the book.

Skips when Chromium or the built book is missing, unless ``CI`` is set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from slopebook_tests_book import PHONE, WIDTH_JS, require_browser_and_book

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
SCRIPTS = ROOT / "docs" / "_static" / "explorables"
MAX_SCRIPT_BYTES = 40_000  # the explorables' own JS on one page, uncompressed
DESKTOP = {"width": 1280, "height": 900}


require_browser_and_book("explorable tests")

sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.slow

MARK = re.compile(r'data-explorable="([a-z0-9-]+)"')
NAMES = sorted(p.stem for p in SCRIPTS.glob("*.js") if p.name != "kit.js")
PAGES: dict[str, list[str]] = {}
for _html in sorted(BUILD.rglob("*.html")):
    _rel = _html.relative_to(BUILD)
    if any(part.startswith("_") for part in _rel.parts[:-1]):
        continue
    if found := sorted(set(MARK.findall(_html.read_text(encoding="utf-8")))):
        PAGES[_rel.as_posix()] = found
IN_BOOK = {name for names in PAGES.values() for name in names}


@pytest.fixture(scope="session")
def axe() -> Any:
    return axe_playwright.Axe()


def _context(browser: Any, server: str, **kw: Any) -> tuple[Any, list[str]]:
    """A fresh context that can reach only the book."""
    context = browser.new_context(service_workers="block", **kw)
    outside: list[str] = []

    def block(route: Any) -> None:
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile("^(?!" + re.escape(server) + ")"), block)
    return context, outside


# Set each control to a case's position, in the page, and read every readout back.
RUN_CASES_JS = """(root, cases) => cases.map(c => {
  for (const [name, value] of Object.entries(c.set)) {
    const input = root.querySelector(`input[data-control="${name}"]`);
    if (input) {
      input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
    } else {
      const button = root.querySelector(`button[data-control="${name}"][data-choice="${value}"]`);
      if (!button) return {missing: name};
      button.click();
    }
  }
  const controls = {};
  for (const name of Object.keys(c.set)) {
    const input = root.querySelector(`input[data-control="${name}"]`);
    controls[name] = input ? parseFloat(input.value)
      : root.querySelector(`button[data-control="${name}"][aria-pressed="true"]`).dataset.choice;
  }
  const got = {};
  for (const name of Object.keys(c.expect)) {
    const out = root.querySelector(`output[name="${name}"]`);
    got[name] = out ? (out.dataset.value ?? null) : undefined;
  }
  return {controls, got};
})"""

READOUTS_JS = (
    "root => [...root.querySelectorAll('.explorable-readouts output')].map(o => o.dataset.value)"
)


def _compare(name: str, case: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Problems with one case: a control that did not take its value, a readout off."""
    where = f"{name} at {case['set']}"
    if "missing" in result:
        return [f"{where}: no control named {result['missing']!r}"]
    problems = [
        f"{where}: control {k} is at {result['controls'][k]!r}, not {v!r} (off its grid?)"
        for k, v in case["set"].items()
        if result["controls"][k] != v
    ]
    for key, want in case["expect"].items():
        got = result["got"].get(key)
        if got is None:
            problems.append(f"{where}: no readout {key!r} with a data-value")
            continue
        if isinstance(want, str):
            if got != want:
                problems.append(f"{where}: {key} = {got!r}, slopebook says {want!r}")
            continue
        tol = case.get("tol", {}).get(key, {})
        allowed = tol.get("abs", 0.0) + tol.get("rel", 0.0) * abs(want)
        value = float(got)
        if not abs(value - want) <= allowed:
            problems.append(
                f"{where}: {key} = {value!r}, slopebook says {want!r} "
                f"(difference {abs(value - want):.3g} > allowed {allowed:.3g})"
            )
    return problems


def _keyboard_problems(page: Any, root: Any, name: str) -> list[str]:
    """Every slider and button, used from the keyboard, changes at least one readout."""
    problems = []
    sliders = root.locator("input[type=range]")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        label = slider.evaluate("s => s.labels[0] ? s.labels[0].textContent : ''")
        # From the middle of its range (the browser snaps it to the slider's grid).
        slider.evaluate(
            "s => { s.value = (parseFloat(s.min) + parseFloat(s.max)) / 2;"
            " s.dispatchEvent(new Event('input')); }"
        )
        slider.focus()
        before = root.evaluate(READOUTS_JS)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        after = root.evaluate(READOUTS_JS)
        if after == before:
            problems.append(f"{name}: three ArrowRight presses on “{label}” changed no readout")
    buttons = root.locator("button[data-control]")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        if button.get_attribute("aria-pressed") == "true":
            continue
        before = root.evaluate(READOUTS_JS)
        button.focus()
        page.keyboard.press("Enter")
        if button.get_attribute("aria-pressed") != "true" or root.evaluate(READOUTS_JS) == before:
            problems.append(f"{name}: Enter on the button “{button.inner_text()}” changed nothing")
    for text in ("Next step", "Previous step"):
        step = root.get_by_role("button", name=text, exact=True)
        if step.count():
            if text == "Next step":
                root.locator("input[data-control=step]").evaluate(
                    "s => { s.value = 0; s.dispatchEvent(new Event('input')); }"
                )
            before = root.evaluate(READOUTS_JS)
            step.focus()
            page.keyboard.press("Space")
            if root.evaluate(READOUTS_JS) == before:
                problems.append(f"{name}: Space on “{text}” changed no readout")
    return problems


def _axe_problems(page: Any, theme: str) -> list[str]:
    """Serious and critical axe findings in the explorables, in ``theme`` (axe injected)."""
    page.evaluate(
        "t => { document.documentElement.dataset.theme = t; document.documentElement.dataset.mode = t; }",
        theme,
    )
    page.wait_for_timeout(50)
    results = page.evaluate(
        "c => axe.run(c, {resultTypes: ['violations']})", {"include": [[".explorable"]]}
    )
    return [
        f"axe {v['impact']} ({theme}): {v['id']} ({v['help']}) at "
        f"{[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def test_every_explorable_is_on_a_page() -> None:
    """Each script has its explorable in the book, and every chapter has one."""
    assert set(NAMES) >= IN_BOOK, f"explorables without a script: {IN_BOOK - set(NAMES)}"
    assert set(NAMES) <= IN_BOOK, f"scripts on no page of the book: {set(NAMES) - IN_BOOK}"
    assert len(IN_BOOK) >= 10, f"only {sorted(IN_BOOK)} are in the book"
    for chapter in ("slope", "rules", "partial", "gradient", "directional", "jacobian",
                    "hessian", "landscape", "backprop"):  # fmt: skip
        assert PAGES.get(f"chapters/{chapter}.html"), f"no explorable in chapters/{chapter}"


@pytest.mark.parametrize("path", list(PAGES))
def test_explorables_on_page(path: str, browser: Any, server: str, axe: Any) -> None:
    context, outside = _context(browser, server, viewport=DESKTOP, reduced_motion="reduce")
    try:
        page = context.new_page()
        errors: list[str] = []
        scripts: dict[str, int] = {}
        page.on("pageerror", lambda e: errors.append(str(e)))

        def record(request: Any) -> None:
            url = urlparse(request.url).path
            if "/_static/explorables/" in url and url.endswith(".js"):
                # The book serves its files as they are: the file's size is what arrived.
                scripts[url.rsplit("/", 1)[-1]] = (BUILD / url.lstrip("/")).stat().st_size

        page.on("requestfinished", record)
        # The explorables start when the page is parsed (their scripts are deferred); the
        # chapter's images need not have arrived.
        page.goto(urljoin(server, path), wait_until="domcontentloaded")
        roots = page.locator(".explorable")
        names = roots.evaluate_all("rs => rs.map(r => r.dataset.explorable)")
        assert names, f"{path}: no explorable"
        page.wait_for_function(
            "() => [...document.querySelectorAll('.explorable')]"
            ".every(r => r.classList.contains('explorable-live'))",
            timeout=5000,
        )
        problems: list[str] = []

        # Only this page's explorables' scripts, and few bytes of them.
        loaded = {s.removesuffix(".js") for s in scripts} - {"kit"}
        if loaded != set(names):
            problems.append(f"scripts loaded {sorted(loaded)}, explorables {sorted(names)}")
        total = sum(scripts.values())
        print(f"{path}: explorable JS {total:,} B ({', '.join(sorted(scripts))})")
        if total > MAX_SCRIPT_BYTES:
            problems.append(f"explorable JS {total:,} B > {MAX_SCRIPT_BYTES:,} B")

        n_cases = 0
        for i, name in enumerate(names):
            root = roots.nth(i)
            root.scroll_into_view_if_needed()
            cases = json.loads(root.get_attribute("data-checks") or "[]")
            if len(cases) < 3:
                problems.append(f"{name}: {len(cases)} checked positions (want at least 3)")
            results = root.evaluate(RUN_CASES_JS, cases)
            for case, result in zip(cases, results, strict=True):
                problems += _compare(name, case, result)
            n_cases += len(cases)
            problems += _keyboard_problems(page, root, name)
            # Every control has an accessible name; every readout is an <output>.
            unnamed = root.evaluate(
                "r => [...r.querySelectorAll('input, button')].filter(c => !(c.labels && "
                "c.labels.length ? c.labels[0].textContent : c.textContent || "
                "c.getAttribute('aria-label') || '').trim()).length"
            )
            if unnamed:
                problems.append(f"{name}: {unnamed} controls without a name")
            labelled = root.locator("input[type=range]").evaluate_all(
                "xs => xs.every(x => x.labels.length === 1 && x.labels[0].textContent.trim())"
            )
            if not labelled:
                problems.append(f"{name}: a slider without its <label>")
            if root.locator(".explorable-readouts output").count() == 0:
                problems.append(f"{name}: no <output> readout")
            # Reduced motion: nothing in the explorable moves by itself or eases.
            moving = root.evaluate(
                "r => [...r.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e);"
                " return parseFloat(s.transitionDuration) > 0 || s.animationName !== 'none'; }).length"
            )
            if moving:
                problems.append(f"{name}: {moving} elements animate under prefers-reduced-motion")
        print(f"{path}: {n_cases} checked positions")

        page.evaluate(axe.axe_script)  # once for both themes
        for theme in ("light", "dark"):
            problems += _axe_problems(page, theme)

        # Print shows the static figure, not the live one.
        page.emulate_media(media="print")
        shown = roots.evaluate_all(
            "rs => rs.map(r => [getComputedStyle(r.querySelector('.explorable-fallback')).display,"
            " getComputedStyle(r.querySelector('.explorable-app')).display])"
        )
        if any(fallback == "none" or app != "none" for fallback, app in shown):
            problems.append(f"print: fallback/app display {shown}, want the figure only")
        page.emulate_media(media="screen")

        page.set_viewport_size(PHONE)
        width = page.evaluate(WIDTH_JS, PHONE["width"])
        if width["viewport"] != PHONE["width"]:
            problems.append(f"the viewport did not become {PHONE['width']} px wide: {width}")
        elif width["content"] > PHONE["width"]:
            problems.append(f"scrolls sideways at {PHONE['width']} px: {width['content']} px wide")
        inner = roots.evaluate_all("rs => rs.filter(r => r.scrollWidth > r.clientWidth).length")
        if inner:
            problems.append(f"{inner} explorables wider than their box at {PHONE['width']} px")

        problems += [f"request to another host: {url}" for url in outside]
        problems += [f"script error: {e}" for e in errors]
        assert not problems, f"{path}:\n  " + "\n  ".join(problems)
    finally:
        context.close()


def test_without_javascript_the_static_figures_show(browser: Any, server: str) -> None:
    """With JavaScript off every explorable is its executed figure, with alt text."""
    context, outside = _context(browser, server, java_script_enabled=False)
    problems = []
    try:
        page = context.new_page()
        for path, names in PAGES.items():
            page.goto(urljoin(server, path), wait_until="load")
            for name in names:
                root = page.locator(f'.explorable[data-explorable="{name}"]').first
                img = root.locator(".explorable-fallback img")
                if img.count() != 1:
                    problems.append(f"{path} {name}: {img.count()} fallback images")
                    continue
                img.scroll_into_view_if_needed()
                img.evaluate("i => i.complete || new Promise(r => i.onload = r)")
                state = img.evaluate("i => [i.naturalWidth, i.getAttribute('alt') || '']")
                if not img.is_visible() or state[0] == 0:
                    problems.append(f"{path} {name}: the static figure is not shown")
                if len(state[1].strip()) < 40:
                    problems.append(f"{path} {name}: alt text {state[1]!r} is too thin")
                if root.locator(".explorable-app").is_visible():
                    problems.append(f"{path} {name}: an empty live box shows without JS")
        problems += [f"request to another host: {url}" for url in outside]
        assert not problems, "\n  ".join(problems)
    finally:
        context.close()
