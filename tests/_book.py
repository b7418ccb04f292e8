"""Read what the built book says: glued values and pasted text of each executed chapter.

myst-nb executes every chapter and writes the executed notebook to
``docs/_build/jupyter_execute/chapters/<name>.ipynb``. Each ``glue(key, value)`` makes an
output whose metadata carries ``{"scrapbook": {"name": key, ...}}`` and whose
``text/plain`` data is the value's repr. myst-nb 1.4 moves those outputs out of the
notebook into ``<name>.glue.json`` next to it (``{key: output}``); older versions leave them
in the notebook, so both places are read. Each ``{glue:text}`` role becomes a
``<span class="pasted-text">`` in ``docs/_build/html/chapters/<name>.html``.

Tests get a :class:`Chapter` through the ``chapter`` fixture in ``conftest.py``
(``chapter("partial").glued["dfdx_hand"]``); when the book has not been built, or the
chapter's source is newer than its executed notebook, the test is skipped with the reason.
"""

from __future__ import annotations

import ast
import html
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXECUTED = DOCS / "_build" / "jupyter_execute"
HTML = DOCS / "_build" / "html"
NOT_BUILT = "book not built: run nox -s docs first"

__all__ = [
    "PHONE",
    "WIDTH_JS",
    "Chapter",
    "glued_values",
    "load_chapter",
    "load_extension",
    "pasted_texts",
]


# A phone's viewport, for the browser tests that check a page does not scroll sideways.
PHONE = {"width": 390, "height": 844}

# The page's width once the viewport has become `width` px wide and two frames have been
# drawn since (resize handlers and resize observers have run, the layout is the new one).
WIDTH_JS = """async width => {
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  for (let i = 0; i < 100 && window.innerWidth !== width; i++) await frame();
  await frame();
  await frame();
  return {
    viewport: window.innerWidth,
    content: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  };
}"""


def load_extension(name: str) -> Any:
    """A module of docs/_ext, loaded by its path, once (the extensions import one another)."""
    import importlib.util
    import sys

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, DOCS / "_ext" / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _value(output: dict[str, Any]) -> tuple[str, Any] | None:
    meta = output.get("metadata", {}).get("scrapbook")
    if not meta:
        return None
    data = output.get("data", {})
    text = next((v for k, v in data.items() if k.endswith("text/plain")), None)
    if text is None:
        msg = f"glued value {meta['name']!r} has no text/plain representation"
        raise ValueError(msg)
    text = "".join(text) if isinstance(text, list) else text
    try:
        return meta["name"], ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return meta["name"], text  # e.g. an array repr: keep the text


def glued_values(
    notebook: dict[str, Any], glue_json: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Every glued ``{key: value}`` of an executed chapter (values parsed from their repr).

    ``notebook`` is the executed notebook, ``glue_json`` the parsed ``<name>.glue.json``
    that myst-nb >= 1.4 writes beside it.
    """
    outputs = [o for cell in notebook.get("cells", []) for o in cell.get("outputs", [])]
    outputs += list((glue_json or {}).values())
    return dict(item for item in map(_value, outputs) if item is not None)


def pasted_texts(page: str) -> list[str]:
    """The text of every ``{glue:text}`` role on an HTML page, in order."""
    return [
        html.unescape(m) for m in re.findall(r'<span class="pasted-text">([^<]*)</span>', page)
    ]


@dataclass
class Chapter:
    """One built chapter: its glued values and the numbers its HTML page shows."""

    name: str
    notebook: Path
    page: Path
    source: Path

    @cached_property
    def glued(self) -> dict[str, Any]:
        """``{key: value}`` for every ``glue`` call the chapter's code made."""
        side = self.notebook.with_suffix(".glue.json")
        values = glued_values(
            json.loads(self.notebook.read_text(encoding="utf-8")),
            json.loads(side.read_text(encoding="utf-8")) if side.is_file() else None,
        )
        if not values:
            msg = f"no glued values in {self.notebook}"
            raise AssertionError(msg)
        return values

    @cached_property
    def html(self) -> str:
        """The built HTML page."""
        return self.page.read_text(encoding="utf-8")

    @cached_property
    def pasted(self) -> list[str]:
        """The glued values as the page shows them (formatted text)."""
        return pasted_texts(self.html)


def load_chapter(name: str) -> Chapter:
    """The built chapter ``docs/chapters/<name>.md``, or skip the test if it is not built.

    A name with a slash, or one that is not a chapter, names a page relative to ``docs/``
    (``"appendix/accuracy"``, ``"notation"``).
    """
    rel = name if "/" in name else f"chapters/{name}"
    if "/" not in name and not (DOCS / f"{rel}.md").is_file():
        rel = name
    source = DOCS / f"{rel}.md"
    notebook = EXECUTED / f"{rel}.ipynb"
    page = HTML / f"{rel}.html"
    if not source.is_file():
        msg = f"no chapter or page named {name!r}: {source} does not exist"
        raise FileNotFoundError(msg)
    if not notebook.is_file() or not page.is_file():
        pytest.skip(f"{NOT_BUILT} ({notebook.relative_to(ROOT)} or its page is missing)")
    if source.stat().st_mtime > notebook.stat().st_mtime:
        pytest.skip(f"{NOT_BUILT}: {rel}.md changed after the last build")
    return Chapter(name, notebook, page, source)


def require_browser_and_book(what: str) -> None:
    """Skip the calling test module without Chromium or a built book; in CI, fail instead.

    Call it at the top of a browser test module, before anything reads the build:
    ``require_browser_and_book("page weight tests")``.
    """
    import os
    import shutil

    if shutil.which("chromium") is None:
        reason = "no Chromium on PATH (apt-get install -y chromium)"
    elif not (HTML / "index.html").is_file():
        reason = f"no built book at {HTML} (run: nox -s docs)"
    else:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
