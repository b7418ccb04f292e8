"""The book in every format a reader asks for: PDF, EPUB 3, a wheel to install, light pages.

- **Downloads.** The HTML build writes slopebook's wheel to ``_static/dist/``, offers it, the
  PDF and the EPUB in every page's download menu (and through the ``book-file`` role and the
  ``book-install`` directive on the pages), and makes every downloadable chapter notebook run
  without myst-nb (its ``glue`` becomes a small stand-in that shows the value).
- **Light pages.** After the HTML build, every rule of the theme's stylesheets whose selectors
  name a class or id that no page and no script contains is dropped (as PurgeCSS does).
- **EPUB 3.** Maths keeps only KaTeX's MathML, the interactive parts give way to their static
  figures, scripts go, and the manifest declares the MathML.
- **PDF.** ``python slopebook_formats.py pdf <singlehtml dir> <out.pdf>`` prints the one-page
  build in Chromium with the print stylesheet (``_static/print.css``): a table of contents
  with page numbers (a first print finds the pages), bookmarks, page numbers in the footer.

``nox -s formats`` runs the PDF and EPUB builds from the HTML build's executed cache.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SITE_BUILDERS = {"html", "dirhtml"}
BOOK_FILES = {"pdf": "slopebook.pdf", "epub": "slopebook.epub"}
WHEEL_DIR = "_static/dist"
BOOK_FILE_CLASS = "sb-book-file"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def wheel_name(version: str) -> str:
    """The file name of slopebook's pure-Python wheel: ``slopebook-0.1.0-py3-none-any.whl``."""
    return f"slopebook-{version}-py3-none-any.whl"


def install_command(version: str, extras: tuple[str, ...] | list[str] = ()) -> str:
    """The one line that installs slopebook from its downloaded wheel, torch's CPU build too.

    ``extras`` are packages a page needs beyond slopebook's own dependencies.
    """
    packages = " ".join([wheel_name(version), *extras])
    return f"pip install {packages} --extra-index-url {TORCH_CPU_INDEX}"


def _site_path(app: Any, what: str) -> str:
    """Path of a book file (``pdf``, ``epub``, ``wheel``) from the site's root."""
    if what == "wheel":
        return f"{WHEEL_DIR}/{wheel_name(app.config.release)}"
    if what not in BOOK_FILES:
        msg = f"unknown book file {what!r}: use one of pdf, epub, wheel"
        raise ValueError(msg)
    return BOOK_FILES[what]


# -- Roles and directive: links to the book's files -------------------------------------------
def book_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{book-file}`pdf``` links the PDF (``epub``, ``wheel`` likewise), relative to the page.

    Outside the site (the PDF and EPUB themselves) it is the file name, without a link: the
    role runs when a page is read, which the PDF and EPUB builds reuse from the HTML build, so
    :func:`unlink_book_files` drops the link when the page is written.
    """
    from docutils import nodes

    env = inliner.document.settings.env
    try:
        target = _site_path(env.app, text.strip())
    except ValueError as error:
        message = inliner.reporter.error(str(error), line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    uri = posixpath.relpath(target, posixpath.dirname(env.docname) or ".")
    link = nodes.reference(rawtext, posixpath.basename(target), refuri=uri, internal=False)
    link["classes"].append(BOOK_FILE_CLASS)
    return [link], []


def unlink_book_files(app, doctree, docname) -> None:
    """Outside the site (in the PDF and the EPUB) a book file is named, not linked."""
    if app.builder.name in SITE_BUILDERS:
        return
    from docutils import nodes

    for link in list(doctree.findall(nodes.reference)):
        if BOOK_FILE_CLASS in link["classes"]:
            link.replace_self(nodes.literal(link.astext(), link.astext()))


def book_install_directive():
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    class BookInstall(SphinxDirective):
        """The wheel's link and the one install line, as a copyable code block."""

        has_content = False

        def run(self) -> list[Any]:
            version = self.config.release
            para = nodes.paragraph()
            para += nodes.Text("Download slopebook's wheel, ")
            roles, _ = book_file_role("book-file", "", "wheel", self.lineno, self.state.inliner)
            para += roles
            para += nodes.Text(
                ", then install it with the line below. The extra index gives torch's CPU "
                "build, a much smaller download than the default CUDA build on Linux."
            )
            command = install_command(version)
            block = nodes.literal_block(command, command, language="bash")
            return [para, block]

    return BookInstall


def add_download_menu_entries(app, pagename, templatename, context, doctree) -> None:
    """Add the book as PDF and EPUB and slopebook's wheel to the theme's download menu."""
    if app.builder.name not in SITE_BUILDERS:
        return
    group = next(
        (b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"),
        None,
    )
    if group is None:
        return
    pathto = context["pathto"]
    entries = [
        ("pdf", "The book (.pdf)", "Download the whole book as a PDF", "fas fa-file-pdf"),
        ("epub", "The book (.epub)", "Download the whole book as an EPUB 3 e-book", "fas fa-book"),
        (
            "wheel",
            "slopebook (.whl)",
            f"Download slopebook to run the notebooks: {install_command(app.config.release)}",
            "fas fa-box",
        ),
    ]
    for what, text, tooltip, icon in entries:
        group["buttons"].append(
            {
                "type": "link",
                "url": pathto(_site_path(app, what), 1),
                "text": text,
                "tooltip": tooltip,
                "icon": icon,
                "label": f"download-book-{what}-button",
            }
        )


# -- The wheel, built with the site -------------------------------------------------------------
def build_wheel(app, exception) -> None:
    """Build slopebook's wheel from the repository into ``_static/dist/`` of the site."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    import importlib.util
    import tempfile

    root = Path(app.config.slopebook_wheel_source)
    target = Path(app.outdir) / WHEEL_DIR
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(root)]
    if importlib.util.find_spec("hatchling") is not None:  # the docs group has it: offline
        command.insert(4, "--no-build-isolation")
    with tempfile.TemporaryDirectory() as tmp:
        # Without the book's PYTHONWARNINGS=default, which would show pip's own deprecations.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
        subprocess.run([*command, "--wheel-dir", tmp], check=True, env=env)
        built = sorted(Path(tmp).glob("*.whl"))
        expected = wheel_name(app.config.release)
        if [p.name for p in built] != [expected]:
            msg = f"building the wheel gave {[p.name for p in built]}, expected [{expected!r}]"
            raise RuntimeError(msg)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copy2(built[0], target / expected)


# -- Notebooks that run without myst-nb -----------------------------------------------------------
GLUE_IMPORT = re.compile(r"^from myst_nb import glue[ \t]*$", re.MULTILINE)
GLUE_STAND_IN = """try:
    from myst_nb import glue
except ModuleNotFoundError:  # outside the book's build: show the value, as glue does

    def glue(name, variable, display=True):
        if display:
            from IPython.display import display as show

            show(variable)"""


def runnable_notebook(
    notebook: dict[str, Any],
    version: str,
    extras: tuple[str, ...] | list[str] = (),
    also: str = "",
) -> bool:
    """Make one notebook (nbformat JSON) run without myst-nb; say how to install slopebook.

    ``from myst_nb import glue`` becomes a try/except with a stand-in that displays the value
    (what myst-nb's glue shows in a notebook); a first markdown cell gives the install line,
    with the ``extras`` the notebook needs, and ``also`` what else it needs, if anything.
    Returns whether the notebook changed (a notebook already rewritten is left alone).
    """
    changed = False
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and GLUE_IMPORT.search(source):
            cell["source"] = GLUE_IMPORT.sub(GLUE_STAND_IN, source)
            changed = True
    marker = "slopebook-install"
    first = notebook["cells"][0] if notebook["cells"] else {}
    if first.get("metadata", {}).get("tags") != [marker]:
        text = (
            f"This notebook runs with slopebook{' and ' + ', '.join(extras) if extras else ''} "
            "installed. Download slopebook's wheel, "
            f"`{wheel_name(version)}`, from the book's front page or any page's download "
            f"menu, then:\n\n```bash\n{install_command(version, extras)}\n```\n\n"
            "(The extra index gives torch's CPU build.)"
        )
        if also:
            text += f"\n\nIt also needs {also}."
        cell = {"cell_type": "markdown", "metadata": {"tags": [marker]}, "source": text}
        if notebook.get("nbformat_minor", 0) >= 5:
            cell["id"] = marker
        notebook["cells"].insert(0, cell)
        changed = True
    return changed


def rewrite_notebook_downloads(app, exception) -> None:
    """Rewrite every chapter notebook offered under ``_sources/`` (see runnable_notebook)."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    sources = Path(app.outdir) / "_sources"
    needs = app.config.slopebook_notebook_needs
    for path in sorted(sources.rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        page = path.relative_to(sources).with_suffix("").as_posix()
        extras, also = needs.get(page, ((), ""))
        if runnable_notebook(notebook, app.config.release, extras, also):
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")


# -- Light pages: stylesheet rules that no page can match go -------------------------------------
PURGED_STYLESHEETS = (
    "styles/pydata-sphinx-theme.css",
    "styles/sphinx-book-theme.css",
    "sphinx-design.min.css",
    "mystnb.*.css",
    "basic.css",
    "pygments.css",
    "katex/katex.min.css",
)
NAME = re.compile(r"[A-Za-z_][\w-]*")
CLASS_OR_ID = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
# Functional pseudo-classes whose arguments need not match: what they hold is not required.
NEGATION = re.compile(r":(?:not|where|is|has)\((?:[^()]|\([^()]*\))*\)")


def css_blocks(css: str) -> list[tuple[str, str | None]]:
    """Split a stylesheet into top-level ``(prelude, body)`` pairs; ``@charset ...;`` has None.

    Strings and comments are honoured, so a brace inside either does not end a block.
    Comments between rules are dropped.
    """
    blocks: list[tuple[str, str | None]] = []
    i, n, start = 0, len(css), 0
    depth, prelude_end = 0, 0
    while i < n:
        c = css[i]
        if c == "/" and css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = n if end < 0 else end + 2
            if depth == 0 and i == start:
                start = end
            i = end
            continue
        if c in "\"'":
            j = i + 1
            while j < n and css[j] != c:
                j += 2 if css[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                blocks.append((css[start:prelude_end].strip(), css[prelude_end + 1 : i]))
                start = i + 1
        elif c == ";" and depth == 0:
            blocks.append((css[start:i].strip(), None))
            start = i + 1
        i += 1
    return blocks


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, last = [], 0, 0
    for i, c in enumerate(prelude):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(prelude[last:i])
            last = i + 1
    parts.append(prelude[last:])
    return [p.strip() for p in parts if p.strip()]


def selector_can_match(selector: str, used: set[str]) -> bool:
    """Whether every class and id the selector requires appears among the used names."""
    if "\\" in selector:  # an escaped name: keep rather than guess
        return True
    required = NEGATION.sub("", re.sub(r"\[[^\]]*\]", "", selector))
    return all(name in used for name in CLASS_OR_ID.findall(required))


def purge_css(css: str, used: set[str]) -> str:
    """The stylesheet without the rules none of whose selectors can match (see module doc).

    Conditional groups (``@media``, ``@supports``, ``@container``, ``@layer``) are purged
    inside and dropped when empty; other at-rules (``@font-face``, ``@keyframes``, ...) stay.
    """
    out = []
    for prelude, body in css_blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith("@"):
            if re.match(r"@(media|supports|container|layer)\b", prelude):
                inner = purge_css(body, used)
                if inner:
                    out.append(f"{prelude}{{{inner}}}")
            else:
                out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if selector_can_match(s, used)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


# Classes Bootstrap's script adds at run time to the components the theme uses: tooltips on
# the header buttons, the download dropdown, collapsing navigation. Bootstrap's script itself
# is not read: it names the classes of every component it has (modals, toasts, carousels,
# offcanvas, ...), which would keep all their rules although no page has one.
BOOTSTRAP_RUNTIME = {
    "show", "showing", "hiding", "fade", "active", "disabled", "collapse", "collapsing",
    "collapse-horizontal", "tooltip", "tooltip-inner", "tooltip-arrow", "bs-tooltip-auto",
    "bs-tooltip-top", "bs-tooltip-bottom", "bs-tooltip-start", "bs-tooltip-end",
    "dropdown-menu-end", "dropdown-menu-start",
}  # fmt: skip
UNREAD_SCRIPTS = {"bootstrap.js"}
ATTRIBUTE_NAMES = re.compile(r"""\b(?:class|id)=["']([^"']*)["']""")
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL)
BASE64 = re.compile(r"[A-Za-z0-9+/=]{200,}")  # an inlined image (animation frames)


def used_names(pages: list[str], scripts: list[str]) -> set[str]:
    """Names a selector may need: pages' classes and ids, every word of their scripts.

    A page contributes the values of its ``class`` and ``id`` attributes and every word of
    its inline scripts; a script every word (a class it adds is named in it), as PurgeCSS's
    default extractor does; plus :data:`BOOTSTRAP_RUNTIME`.
    """
    used = set(BOOTSTRAP_RUNTIME)
    for page in pages:
        for value in ATTRIBUTE_NAMES.findall(page):
            used.update(NAME.findall(value))
        for script in INLINE_SCRIPT.findall(page):
            used.update(NAME.findall(BASE64.sub("", script)))
    for script in scripts:
        used.update(NAME.findall(script))
    return used


def loaded_scripts(outdir: Path, pages: list[Path]) -> list[Path]:
    """Every script of the output that some page loads, Bootstrap's aside (see above)."""
    found: set[Path] = set()
    for page in pages:
        for src in re.findall(r'<script[^>]+src="([^"?#]+)', page.read_text(encoding="utf-8")):
            path = (page.parent / src).resolve()
            if path.is_file() and path.name not in UNREAD_SCRIPTS:
                found.add(path)
    # The search page loads searchtools.js, which loads the index and builds the results.
    found.update(p for p in outdir.glob("_static/searchtools.js"))
    return sorted(found)


# myst-nb copies its stylesheet at build-finished without overwriting, and warns (an error
# under -W) when the output holds a different file: the purged one of the last build. It goes
# before the build, so that each build copies, and purges, the original.
COPIED_WITHOUT_OVERWRITE = ("mystnb.*.css",)


def forget_purged_copies(app) -> None:
    """Remove the purged stylesheets that their extension would refuse to replace."""
    if app.builder.name not in SITE_BUILDERS:
        return
    for pattern in COPIED_WITHOUT_OVERWRITE:
        for sheet in (Path(app.outdir) / "_static").glob(pattern):
            sheet.unlink()


def purge_unused_css(app, exception) -> None:
    """Rewrite the theme's stylesheets in the output without the rules no page can match."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    out = Path(app.outdir)
    pages = [p for p in out.rglob("*.html") if "_sources" not in p.parts]
    used = used_names(
        [p.read_text(encoding="utf-8") for p in pages],
        [p.read_text(encoding="utf-8") for p in loaded_scripts(out, pages)],
    )
    for pattern in PURGED_STYLESHEETS:
        for sheet in (out / "_static").glob(pattern):
            sheet.write_text(purge_css(sheet.read_text(encoding="utf-8"), used), "utf-8")


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


def finish_epub(app, exception) -> None:
    """Declare the MathML, drop unused static files and repeated spine entries; re-pack."""
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
    from docutils.parsers.rst import roles

    app.add_config_value("slopebook_wheel_source", "", "html", types=[str])
    app.add_config_value("slopebook_notebook_needs", {}, "html", types=[dict])
    roles.register_local_role("book-file", book_file_role)
    app.add_directive("book-install", book_install_directive())
    # After the book theme has built its header buttons (priority 501).
    app.connect("doctree-resolved", unlink_book_files)
    app.connect("builder-inited", share_html_handlers)
    app.connect("builder-inited", forget_purged_copies)
    app.connect("builder-inited", add_print_stylesheet)
    app.connect("html-page-context", add_download_menu_entries, priority=510)
    app.connect("html-page-context", epub_page, priority=900)
    app.connect("build-finished", build_wheel)
    app.connect("build-finished", rewrite_notebook_downloads)
    # After the icon fonts are cut (slopebook_html, priority 500): it rewrites the theme CSS.
    app.connect("build-finished", purge_unused_css, priority=800)
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
