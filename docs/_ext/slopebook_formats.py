"""The book as PDF and EPUB 3, from the HTML build's executed cache.

- **EPUB 3.** Maths keeps only KaTeX's MathML, the interactive parts give way to their static
  figures, scripts go, and the manifest declares the MathML.
- **PDF.** ``python slopebook_formats.py pdf <singlehtml dir> <out.pdf>`` prints the one-page
  build in Chromium with the print stylesheet (``_static/print.css``): a table of contents
  with page numbers (a first print finds the pages), bookmarks, page numbers in the footer.

``nox -s formats`` runs the PDF and EPUB builds. The wheel and the download menu are in
``slopebook_downloads.py``, the stylesheet purge in ``slopebook_purge.py``.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import sys
from pathlib import Path
from typing import Any

# -- EPUB 3: MathML, static figures, no scripts ----------------------------------------------------
EPUB_STYLESHEETS = {"pygments.css"}  # the epub theme's own epub.css comes on its own


def fix_mathml(soup: Any) -> None:
    """KaTeX writes ``\\lambda_{\\max}`` as an ``msub`` with three children (the subscript and
    a function-application ``mo``); MathML allows two: the extra ones join the subscript."""
    for tag in soup.find_all(["msub", "msup", "munder", "mover"]):
        children = [c for c in tag.children if getattr(c, "name", None)]
        if len(children) > 2:
            group = soup.new_tag("mrow")
            children[1].insert_before(group)
            for child in children[1:]:
                group.append(child.extract())


def epub_body(html: str) -> str:
    """A page's body as an EPUB 3 reader needs it (see :func:`epub_page`)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for node in soup.select(".katex-html, .explorable-app, script, style, .headerlink"):
        node.decompose()
    for image in soup.find_all("img"):
        if not image.get("src"):  # an animation's frame, drawn by its (removed) script
            (image.find_parent(class_="animation") or image).decompose()
    fix_mathml(soup)
    seen: set[str] = set()
    for node in soup.find_all(True):
        node.attrs.pop("tooltip", None)  # sphinx-gallery's, not an HTML attribute
        ident = node.get("id")
        if ident in seen:
            del node["id"]
        elif ident:
            seen.add(ident)
    for link in soup.find_all("a", href=True):  # raw HTML links to pages of the site
        link["href"] = re.sub(r"^(?![a-z]+:)([^#]*)\.html(?=#|$)", r"\1.xhtml", link["href"])
    return str(soup)


def epub_page(app, pagename, templatename, context, doctree) -> None:
    """Keep KaTeX's MathML only, show explorables as their figures, drop scripts and CSS."""
    if app.builder.name != "epub":
        return
    context["body"] = epub_body(context.get("body", ""))
    context["script_files"] = []
    context["css_files"] = [
        c for c in context.get("css_files", []) if Path(str(c)).name in EPUB_STYLESHEETS
    ]


NAV_LINK = re.compile(r'(<a href="([^"]+)">)([^<]*)(</a>)')
NCX_POINT = re.compile(r'(<text>)([^<]*)(</text>\s*</navLabel>\s*<content src="([^"]+)")')


def numbered_navigation(
    nav: str, ncx: str, numbers: dict[str, dict[str, tuple[int, ...]]]
) -> tuple[str, str]:
    """The EPUB's nav.xhtml and toc.ncx with the chapter and section numbers the pages show.

    ``numbers`` is Sphinx's ``env.toc_secnumbers``: per page, anchor ("" for the page's
    title, "#id" for a section) -> its number.
    """

    def number(href: str) -> str:
        page, _, anchor = href.partition("#")
        found = numbers.get(page.removesuffix(".xhtml"), {}).get(f"#{anchor}" if anchor else "")
        return ".".join(map(str, found)) + ". " if found else ""

    nav = NAV_LINK.sub(lambda m: m[1] + number(m[2]) + m[3] + m[4], nav)
    ncx = NCX_POINT.sub(lambda m: m[1] + number(m[4]) + m[2] + m[3], ncx)
    return nav, ncx


def finish_epub(app, exception) -> None:
    """Number the navigation, declare the MathML, drop unused static files and repeated
    spine entries; re-pack."""
    if exception is not None or app.builder.name != "epub":
        return
    out = Path(app.outdir)
    used: set[str] = set()
    for page in out.rglob("*.xhtml"):
        base = page.parent.relative_to(out).as_posix()
        for ref in re.findall(r'(?:href|src)="([^"#?:]+)', page.read_text(encoding="utf-8")):
            used.add(posixpath.normpath(posixpath.join(base, ref)))
    for sheet in [u for u in used if u.endswith(".css")]:
        text = (out / sheet).read_text(encoding="utf-8") if (out / sheet).is_file() else ""
        for ref in re.findall(r"url\(['\"]?([^'\")]+)", text):
            used.add(posixpath.normpath(posixpath.join(posixpath.dirname(sheet), ref)))
    nav, ncx = out / "nav.xhtml", out / "toc.ncx"
    numbered = numbered_navigation(
        nav.read_text(encoding="utf-8"), ncx.read_text(encoding="utf-8"), app.env.toc_secnumbers
    )
    for path, text in zip((nav, ncx), numbered, strict=True):
        path.write_text(text, encoding="utf-8")
    opf = out / "content.opf"
    text = opf.read_text(encoding="utf-8")

    def item(match: re.Match[str]) -> str:
        tag, href = match[0], match[1]
        if href.startswith("_static/") and href not in used:
            return ""
        page = out / href
        mathml = page.suffix == ".xhtml" and "<math" in page.read_text(encoding="utf-8")
        if mathml and "properties=" not in tag:
            return tag.replace("<item ", '<item properties="mathml" ', 1)
        return tag

    text = re.sub(r'\s*<item [^>]*href="([^"]+)"[^>]*/>', item, text)
    refs: set[str] = set()

    def itemref(match: re.Match[str]) -> str:
        if match[1] in refs:
            return ""
        refs.add(match[1])
        return match[0]

    text = re.sub(r'\s*<itemref idref="([^"]+)"[^>]*/>', itemref, text)
    opf.write_text(text, "utf-8")
    app.builder.files = [f for f in app.builder.files if not f.startswith("_static/") or f in used]
    app.builder.build_epub()


# -- PDF: the one-page build printed by Chromium ---------------------------------------------------
# sphinx-exercise registers its nodes for "singlehtml" by name, and Sphinx then looks up no
# "html" handler for that builder: every other extension's node (sphinx-design's, ...) would
# have none. The one-page build gets the HTML handlers it lacks.
def share_html_handlers(app) -> None:
    """Give the one-page builder every node handler registered for HTML that it lacks."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    handlers["singlehtml"] = {**handlers.get("html", {}), **handlers.get("singlehtml", {})}


def add_print_stylesheet(app) -> None:
    """The one-page build (printed to the PDF) gets the book's print stylesheet."""
    if app.builder.name == "singlehtml":
        app.add_css_file("print.css", media="print")


PREPARE_JS = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map(img => img.complete ? null :
    new Promise(r => { img.onload = img.onerror = r; })));
  await document.fonts.ready;
  // The overview's step titles are not sections of the book: no bookmarks for them.
  for (const h of document.querySelectorAll(".sb-stepper h3")) {
    const p = document.createElement("p");
    p.className = h.className + " sb-print-step-title";
    p.innerHTML = h.innerHTML;
    h.replaceWith(p);
  }
  // One table of contents entry per page of the book (the parts the one-page build joins).
  const nav = document.createElement("nav");
  nav.id = "sb-print-toc";
  nav.innerHTML = "<h2 class='sb-print-toc-title'>Contents</h2><ol></ol>";
  const list = nav.querySelector("ol");
  const titles = [];
  for (const anchor of document.querySelectorAll("span[id^='document-']")) {
    const section = anchor.nextElementSibling;
    const heading = section && section.querySelector(":scope > h1, :scope > h2, :scope > h3");
    if (!heading) continue;
    const title = heading.textContent.replace(/#$/, "").trim();
    const li = document.createElement("li");
    li.innerHTML = "<a></a><span class='sb-print-page'>000</span>";
    li.querySelector("a").href = "#" + section.id;
    li.querySelector("a").textContent = title;
    list.appendChild(li);
    titles.push(title);
  }
  // A cover: the book's title and its one-line summary (the front page's first paragraph).
  const first = document.querySelector("main section");
  const cover = document.createElement("div");
  cover.id = "sb-print-cover";
  cover.innerHTML = "<p class='sb-print-book'></p><p class='sb-print-summary'></p>";
  cover.firstChild.textContent = first.querySelector("h1").textContent.replace(/#$/, "");
  cover.lastChild.textContent = first.querySelector("p").textContent;
  first.before(cover, nav);
  return titles;
}"""

FILL_TOC_JS = """(pages) => {
  const spans = document.querySelectorAll("#sb-print-toc .sb-print-page");
  spans.forEach((span, i) => { span.textContent = String(pages[i]); });
}"""

# Debian's Chromium first; GitHub's Ubuntu runners come with Google Chrome instead.
CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def outline_entries(pdf: Any) -> list[tuple[int, str, int]]:
    """Every bookmark of a pypdf reader as (depth, title, 1-based page), in order."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 0)
    return entries


def contents_pages(outline: list[tuple[int, str, int]], titles: list[str]) -> list[int]:
    """The page of each title: its next bookmark, in order, after the previous title's.

    Titles compare without their whitespace: Chromium joins a heading's wrapped lines into
    its bookmark without the space between them ("by hand and bymachine").
    """
    pages, start = [], 0
    for title in titles:
        for index in range(start, len(outline)):
            if "".join(outline[index][1].split()) == "".join(title.split()):
                pages.append(outline[index][2])
                start = index + 1
                break
        else:
            msg = f"no bookmark {title!r} after the previous entry: cannot number the contents"
            raise RuntimeError(msg)
    return pages


def print_pdf(singlehtml: Path, out: Path) -> dict[str, Any]:
    """Print ``singlehtml/index.html`` to ``out`` with Chromium; return what it holds."""
    import io

    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    chromium = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    if chromium is None:
        msg = f"printing the PDF needs one of {CHROMIUM} on PATH (apt-get install -y chromium)"
        raise FileNotFoundError(msg)
    options = {
        "format": "A4",
        "margin": {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
        "print_background": True,
        "display_header_footer": True,
        "header_template": "<span></span>",
        "footer_template": FOOTER,
        "outline": True,
        "tagged": True,
    }
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page()
            page.goto((singlehtml / "index.html").resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            titles = page.evaluate(PREPARE_JS)
            first = PdfReader(io.BytesIO(page.pdf(**options)))
            page.evaluate(FILL_TOC_JS, contents_pages(outline_entries(first), titles))
            out.write_bytes(page.pdf(**options))
        finally:
            browser.close()
    final = PdfReader(out)
    return {"pages": len(final.pages), "contents": titles}


# -- setup ------------------------------------------------------------------------------------------
def setup(app) -> dict[str, Any]:
    app.setup_extension("slopebook_downloads")
    app.setup_extension("slopebook_purge")
    app.connect("builder-inited", share_html_handlers)
    app.connect("builder-inited", add_print_stylesheet)
    app.connect("html-page-context", epub_page, priority=900)
    app.connect("build-finished", finish_epub, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "pdf":
        print("usage: python slopebook_formats.py pdf <singlehtml dir> <out.pdf>")
        return 2
    result = print_pdf(Path(argv[1]), Path(argv[2]))
    print(f"{argv[2]}: {result['pages']} pages, contents: {len(result['contents'])} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
