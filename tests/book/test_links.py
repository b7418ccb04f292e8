"""No broken internal link or anchor in the built book (checked offline, over the HTML).

``nox -s docs`` builds the book into docs/_build/html; CI runs it before the tests. Every
``href``/``src`` that stays inside the book must name an existing file, and every
``#fragment`` must name an ``id`` (or ``name``) in that file. External URLs are not
fetched: the build machine is offline, and they are not the book's to keep.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"

LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}


class _Page(HTMLParser):
    """The anchors a page defines and the links it makes, with their line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(values[key])  # type: ignore[arg-type]
        attr = LINK_ATTRS.get(tag)
        if attr and values.get(attr):
            self.links.append((self.getpos()[0], values[attr]))  # type: ignore[arg-type]


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def broken_links(root: Path) -> list[str]:
    """Every internal link under ``root`` whose file or anchor does not exist."""
    # _static holds theme assets, among them Jinja macro files named *.html: not pages.
    pages = {
        path.resolve(): _parse(path)
        for path in sorted(root.rglob("*.html"))
        if "_static" not in path.relative_to(root).parts
    }
    problems = []
    for path, page in pages.items():
        for line, link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("//", "javascript:")):
                continue  # external, mailto:, data: ... not checked offline
            target_path = unquote(parts.path)
            if target_path:
                target = (path.parent / target_path).resolve()
                if target.is_dir():
                    target /= "index.html"
            else:
                target = path
            where = f"{path.relative_to(root.resolve())}:{line}"
            if not target.is_file():
                problems.append(f"{where}: {link!r}: no such file")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    problems.append(f"{where}: {link!r}: no anchor #{fragment} in {target.name}")
    return problems


def test_checker_finds_a_missing_file_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="sub/page.html#here">ok</a> <a href="#top">ok</a>\n'
        '<a href="sub/page.html#gone">anchor</a> <a href="missing.html">file</a>\n'
        '<a href="https://example.org/nowhere">external</a> <img src="sub/"></p>'
    )
    (tmp_path / "sub" / "page.html").write_text('<h1 id="here">x</h1><a href="../index.html">')
    (tmp_path / "sub" / "index.html").write_text("<p></p>")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "macro.html").write_text('<a href="{{ pathto(x) }}">')
    problems = broken_links(tmp_path)
    assert problems == [
        "index.html:2: 'sub/page.html#gone': no anchor #gone in page.html",
        "index.html:2: 'missing.html': no such file",
    ]


@pytest.mark.skipif(
    not (BUILD / "index.html").is_file(),
    reason="the book is not built: run `nox -s docs` first (CI builds it before the tests)",
)
def test_built_book_has_no_broken_internal_links() -> None:
    problems = broken_links(BUILD)
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems)
