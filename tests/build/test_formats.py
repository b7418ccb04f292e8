"""The book as PDF and EPUB 3 (``nox -s formats``), checked on the files themselves.

The PDF (``docs/_build/html/slopebook.pdf``): every chapter and appendix is in its text, its
bookmarks and its table of contents, whose page numbers are the pages the chapters start
on; every page carries its number; maths is typeset (no TeX source in the text, outside the
code listings); no cross-reference is left as "??"; every font is embedded; every figure is
there; no word of code or output runs past the right margin.

The EPUB (``docs/_build/html/slopebook.epub``): epubcheck finds no error; maths is MathML
(and only MathML: KaTeX's HTML rendering is gone); every image has alt text; the navigation
lists every chapter.

Also the pieces of docs/_ext/ that make them (slopebook_formats.py, slopebook_downloads.py,
slopebook_purge.py), on small inputs.

The file tests skip when the files are not built (``nox -s docs`` then ``nox -s formats``)
or a tool is missing (poppler-utils, epubcheck), and fail instead when ``CI`` is set.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from slopebook_tests_book import load_extension

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
PDF = BUILD / "slopebook.pdf"
EPUB = BUILD / "slopebook.epub"
EPUBCHECK_JARS = [Path("/usr/share/java/epubcheck.jar")]


downloads = load_extension("slopebook_downloads")
purge = load_extension("slopebook_purge")
formats = load_extension("slopebook_formats")

pytestmark = pytest.mark.slow


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"cannot check the book's formats in CI: {reason}", pytrace=False)
        pytest.skip(reason)


def book_pages() -> list[tuple[str, str]]:
    """(page, title) of every chapter and appendix, in the order of the front page."""
    _need((BUILD / "index.html").is_file(), f"no HTML build at {BUILD} (run nox -s docs)")
    front = (BUILD / "index.html").read_text(encoding="utf-8")
    pages = []
    for page in re.findall(r'href="((?:chapters|appendix)/[\w-]+\.html)"', front):
        if page in (p for p, _ in pages):
            continue
        title = re.search(r"<title>(.*?) &#8212;", (BUILD / page).read_text(encoding="utf-8"))
        assert title, f"{page} has no title"
        plain = html.unescape(re.sub(r"<[^>]+>", "", title[1]))
        pages.append((page, " ".join(plain.split())))
    assert len(pages) >= 10, pages
    return pages


@pytest.fixture(scope="module")
def pdf_text() -> list[str]:
    """The PDF's text, one string per page (pdftotext, layout order)."""
    _need(PDF.is_file(), f"no PDF at {PDF} (run nox -s docs, then nox -s formats)")
    _need(shutil.which("pdftotext") is not None, "no pdftotext (apt-get install poppler-utils)")
    out = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- PDF ------------------------------------------------------------------------------------------
def test_pdf_has_every_chapter_and_appendix(pdf_text: list[str]) -> None:
    text = _flat(" ".join(pdf_text))
    missing = [title for _, title in book_pages() if title not in text]
    assert not missing, f"not in the PDF's text: {missing}"


def test_pdf_page_numbers_on_every_page(pdf_text: list[str]) -> None:
    total = len(pdf_text)
    assert total > 50, f"only {total} pages"
    unnumbered = [
        i
        for i, page in enumerate(pdf_text, 1)
        if not re.search(rf"^{i} / {total}$", page, re.MULTILINE)
    ]
    assert not unnumbered, f"pages without their number 'n / {total}' at the foot: {unnumbered}"


def test_pdf_outline_and_contents_point_at_each_chapter(pdf_text: list[str]) -> None:
    """Every chapter is a bookmark, and a contents line, both naming the page it starts on."""
    pypdf = pytest.importorskip("pypdf")
    outline = formats.outline_entries(pypdf.PdfReader(PDF))
    titles = [title for _, title in book_pages()]
    pages = formats.contents_pages(outline, titles)  # raises if a chapter has no bookmark
    contents = _flat(pdf_text[1])
    assert contents.startswith("Contents"), contents[:80]
    problems = []
    for title, page in zip(titles, pages, strict=True):
        if not _flat(pdf_text[page - 1]).startswith(title):
            problems.append(f"bookmark {title!r} -> page {page}, which does not start with it")
        if not re.search(re.escape(title) + rf" {page}\b", contents):
            problems.append(f"contents do not list {title!r} on page {page}")
    assert not problems, "\n".join(problems)


# TeX that should have become typeset maths: a command, $$, or $...$.
RAW_TEX = re.compile(
    r"\\(?:frac|lim|sum|int|partial|nabla|mathbf|mathrm|sqrt|left|right|cdot|varepsilon|"
    r"alpha|theta|operatorname|begin|end)(?![a-zA-Z])|\$\$|\$[^$\s][^$]*\$"
)


def test_pdf_has_no_raw_tex_and_no_unresolved_reference(pdf_text: list[str]) -> None:
    problems = []
    for number, page in enumerate(pdf_text, 1):
        for line in page.splitlines():
            if "??" in line:
                problems.append(f"page {number}: unresolved reference: {line.strip()}")
            if RAW_TEX.search(line):
                problems.append(f"page {number}: raw TeX: {line.strip()}")
    assert not problems, "\n".join(problems[:20])


def test_pdf_fonts_are_all_embedded() -> None:
    _need(PDF.is_file(), f"no PDF at {PDF} (run nox -s formats)")
    _need(shutil.which("pdffonts") is not None, "no pdffonts (apt-get install poppler-utils)")
    out = subprocess.run(["pdffonts", str(PDF)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    # name, type..., emb sub uni, object id, generation: emb is the 5th field from the end.
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, "\n".join(not_embedded)


def test_pdf_has_every_figure() -> None:
    """At least as many images as the one-page build shows (figures, explorables' fallbacks)."""
    _need(PDF.is_file(), f"no PDF at {PDF} (run nox -s formats)")
    _need(shutil.which("pdfimages") is not None, "no pdfimages (apt-get install poppler-utils)")
    single = ROOT / "docs" / "_build" / "formats" / "singlehtml" / "index.html"
    _need(single.is_file(), f"no one-page build at {single} (run nox -s formats)")
    body = single.read_text(encoding="utf-8")
    body = body[body.index('<main id="main-content"') :]
    figures = set(re.findall(r'<img[^>]+src="(_images/[^"]+\.(?:png|jpe?g))"', body))
    out = subprocess.run(
        ["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True
    )
    # Chromium writes an image once per page it is on, and a soft mask as a second row.
    images = [r for r in out.stdout.splitlines()[2:] if r.split()[2] == "image"]
    assert len(figures) > 20, f"only {len(figures)} figures in the one-page build"
    assert len(images) >= len(figures), f"{len(images)} images in the PDF, {len(figures)} figures"


def test_pdf_text_stays_inside_the_margins() -> None:
    """No word of prose, code or output runs past the right margin (it wraps instead)."""
    _need(PDF.is_file(), f"no PDF at {PDF} (run nox -s formats)")
    _need(shutil.which("pdftotext") is not None, "no pdftotext (apt-get install poppler-utils)")
    out = subprocess.run(
        ["pdftotext", "-bbox", str(PDF), "-"], capture_output=True, text=True, check=True
    )
    width = float(re.search(r'<page width="([\d.]+)"', out.stdout)[1])
    right = width - 16 / 25.4 * 72 + 2  # the 16 mm margin of print_pdf, 2 pt of slack
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', out.stdout
    )
    assert len(words) > 10_000
    outside = [(w, float(x1)) for x0, x1, w in words if float(x1) > right]
    assert not outside, f"{len(outside)} words past the margin, e.g. {outside[:10]}"


# -- EPUB -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def epub_pages() -> dict[str, str]:
    _need(EPUB.is_file(), f"no EPUB at {EPUB} (run nox -s docs, then nox -s formats)")
    with zipfile.ZipFile(EPUB) as book:
        return {n: book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml")}


def test_epubcheck_finds_no_error() -> None:
    _need(EPUB.is_file(), f"no EPUB at {EPUB} (run nox -s formats)")
    jar = next((j for j in EPUBCHECK_JARS if j.is_file()), None)
    _need(
        jar is not None and shutil.which("java") is not None,
        "no epubcheck (apt-get install epubcheck)",
    )
    out = subprocess.run(
        ["java", "-jar", str(jar), str(EPUB)], capture_output=True, text=True, check=False
    )
    summary = re.search(r"Messages: (\d+) fatals / (\d+) errors", out.stdout + out.stderr)
    assert summary, out.stdout[-2000:] + out.stderr[-2000:]
    errors = [
        line
        for line in (out.stdout + out.stderr).splitlines()
        if line.startswith(("ERROR", "FATAL"))
    ]
    assert summary.groups() == ("0", "0"), "\n".join(errors[:20])
    assert out.returncode == 0


def test_epub_maths_is_mathml_only(epub_pages: dict[str, str]) -> None:
    chapters = {n: t for n, t in epub_pages.items() if n.startswith(("chapters/", "appendix/"))}
    assert len(chapters) >= 10, sorted(chapters)
    no_mathml = [
        n
        for n, t in chapters.items()
        if "<math" not in t and n != "appendix/execution-report.xhtml"
    ]
    assert not no_mathml, f"chapters without MathML: {no_mathml}"
    html_maths = [n for n, t in epub_pages.items() if "katex-html" in t]
    assert not html_maths, f"KaTeX's HTML rendering left in {html_maths}"
    assert all(t.count("<math") == t.count("</math>") for t in chapters.values())


def test_epub_images_have_alt_text(epub_pages: dict[str, str]) -> None:
    images = [(n, tag) for n, t in epub_pages.items() for tag in re.findall(r"<img\b[^>]*>", t)]
    assert len(images) > 20
    missing = [(n, tag[:120]) for n, tag in images if not re.search(r'\balt="[^"]+"', tag)]
    assert not missing, missing[:10]


def test_epub_navigation_lists_every_chapter(epub_pages: dict[str, str]) -> None:
    nav = _flat(html.unescape(re.sub(r"<[^>]+>", " ", epub_pages["nav.xhtml"])))
    missing = [title for _, title in book_pages() if title not in nav]
    assert not missing, missing


# -- The pieces of the formats extensions (formats, downloads, purge) -----------------------------------------------------------
def test_css_blocks_honour_strings_comments_and_nesting() -> None:
    css = '@charset "UTF-8";/* a { */a{content:"}"}@media print{.b{x:1}}'
    assert purge.css_blocks(css) == [
        ('@charset "UTF-8"', None),
        ("a", 'content:"}"'),
        ("@media print", ".b{x:1}"),
    ]


def test_purge_css_keeps_what_can_match() -> None:
    css = (
        ".used{a:1}.unused{b:2}.used .unused,.used>p{c:3}#gone{d:4}"
        "a:not(.unused){e:5}[data-theme=dark] .used{f:6}"
        "@media (min-width:1px){.unused{g:7}}@media print{.used{h:8}}"
        "@font-face{font-family:X}@keyframes k{from{opacity:0}}"
    )
    assert purge.purge_css(css, {"used"}) == (
        ".used{a:1}.used>p{c:3}a:not(.unused){e:5}[data-theme=dark] .used{f:6}"
        "@media print{.used{h:8}}@font-face{font-family:X}@keyframes k{from{opacity:0}}"
    )


def test_used_names_from_attributes_and_scripts() -> None:
    page = '<p class="a b" id="c">toast</p><script>x.add("inline-added")</script>'
    used = purge.used_names([page], ['el.classList.add("show-me")'])
    assert {"a", "b", "c", "inline-added", "show-me", "classList", "tooltip"} <= used
    assert "toast" not in used, "a word of the text is not a class"


def test_runnable_notebook_replaces_myst_nb_glue_and_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython.display

    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": [{"cell_type": "code", "source": "x = 1\nfrom myst_nb import glue\n"}],
    }
    assert downloads.runnable_notebook(notebook, "1.2.3")
    first, code = notebook["cells"]
    assert "pip install slopebook-1.2.3-py3-none-any.whl" in first["source"]
    assert "https://download.pytorch.org/whl/cpu" in first["source"]
    # As on a reader's machine: no myst_nb. The stand-in shows a value as glue does.
    monkeypatch.setitem(sys.modules, "myst_nb", None)
    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    namespace: dict[str, object] = {}
    exec(code["source"], namespace)  # noqa: S102 - the rewritten cell, as a kernel runs it
    namespace["glue"]("x", 42)
    namespace["glue"]("y", 7, display=False)
    assert shown == [42]
    assert not downloads.runnable_notebook(notebook, "1.2.3"), "a second rewrite changed it"
    other = {"nbformat": 4, "nbformat_minor": 4, "cells": []}
    assert downloads.runnable_notebook(other, "1.2.3", ["scipy"], "a clone of the repository")
    text = other["cells"][0]["source"]
    assert "pip install slopebook-1.2.3-py3-none-any.whl scipy --extra-index-url" in text
    assert text.endswith("It also needs a clone of the repository.")


def test_epub_body_keeps_mathml_drops_scripts_and_fixes_ids() -> None:
    body = (
        '<span class="katex"><span class="katex-mathml"><math><msub><mi>a</mi><mi>b</mi>'
        '<mo>x</mo></msub></math></span><span class="katex-html">a_b</span></span>'
        '<script>1</script><style>p{}</style><div id="d"></div><div id="d" tooltip="t"></div>'
        '<a href="chapters/slope.html#x">s</a><a href="https://e.org/a.html">e</a>'
        '<div class="explorable"><div class="explorable-app">app</div>'
        '<figure class="explorable-fallback"><img src="f.png" alt="f"/></figure></div>'
    )
    out = formats.epub_body(body)
    assert "katex-html" not in out
    assert "<script" not in out
    assert "<style" not in out
    assert "<msub><mi>a</mi><mrow><mi>b</mi><mo>x</mo></mrow></msub>" in out
    assert out.count('id="d"') == 1
    assert "tooltip" not in out
    assert 'href="chapters/slope.xhtml#x"' in out
    assert 'href="https://e.org/a.html"' in out
    assert "explorable-app" not in out
    assert 'src="f.png"' in out


def test_navigation_gets_the_numbers_the_pages_show() -> None:
    nav = (
        '<a href="chapters/a.xhtml">A</a><a href="chapters/a.xhtml#s">S</a><a href="i.xhtml">I</a>'
    )
    ncx = '<text>A</text></navLabel><content src="chapters/a.xhtml" />'
    numbers = {"chapters/a": {"": (3,), "#s": (3, 1)}}
    numbered_nav = (
        '<a href="chapters/a.xhtml">3. A</a><a href="chapters/a.xhtml#s">3.1. S</a>'
        '<a href="i.xhtml">I</a>'
    )
    numbered_ncx = '<text>3. A</text></navLabel><content src="chapters/a.xhtml" />'
    assert formats.numbered_navigation(nav, ncx, numbers) == (numbered_nav, numbered_ncx)


def test_contents_pages_take_each_title_after_the_previous() -> None:
    outline = [(0, "A", 1), (1, "B", 1), (0, "B", 5), (0, "A", 7), (0, "C", 9)]
    assert formats.contents_pages(outline, ["B", "A", "C"]) == [1, 7, 9]
    wrapped = [(0, "by hand and bymachine", 3)]
    assert formats.contents_pages(wrapped, ["by hand and by machine"]) == [3]
    with pytest.raises(RuntimeError, match="no bookmark 'A'"):
        formats.contents_pages(outline, ["C", "A"])


def test_install_command_names_the_extras_a_page_needs() -> None:
    index = "--extra-index-url https://download.pytorch.org/whl/cpu"
    assert (
        downloads.install_command("1.0") == f"pip install slopebook-1.0-py3-none-any.whl {index}"
    )
    assert downloads.install_command("1.0", ["scipy", "numdifftools"]) == (
        f"pip install slopebook-1.0-py3-none-any.whl scipy numdifftools {index}"
    )


def test_book_file_paths() -> None:
    class App:
        class config:
            release = "0.1.0"

    assert downloads._site_path(App, "wheel") == "_static/dist/slopebook-0.1.0-py3-none-any.whl"
    assert downloads._site_path(App, "pdf") == "slopebook.pdf"
    with pytest.raises(ValueError, match="unknown book file 'zip'"):
        downloads._site_path(App, "zip")
