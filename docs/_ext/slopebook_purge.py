"""Light pages: after the HTML build, what no page can use is dropped.

Every rule of the theme's stylesheets whose selectors name a class or id that no page and no
script it loads contains goes, as PurgeCSS does; and KaTeX's webfonts keep only the
characters the pages hold (tests/browser/test_browser.py checks every page's weight and that
the maths is typeset; test_weight.py that search, dark mode, navigation and copy buttons
still work).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from slopebook_downloads import SITE_BUILDERS

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


# myst-nb and sphinx-exercise copy their stylesheets without overwriting, and warn (an error
# under -W) when the output holds a different file: the purged or minified one of the last
# build. They go before the build, so that each build copies, and lightens, the original.
COPIED_WITHOUT_OVERWRITE = ("mystnb.*.css", "exercise.css")


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


# -- Light pages: code tokens drawn in their block's own colour lose their spans -------------------
# Pygments wraps every token in a span of its class; in the book's styles names, punctuation
# and spaces (``n``, ``p``, ``w``) are drawn in the code block's own colour, in both themes, so
# their spans change nothing on screen (a third of a code-heavy chapter's HTML).
PYGMENTS_RULE = re.compile(r"([^{}]*?)\.highlight(?:\s+\.([\w-]+))?\s*\{([^}]*)\}")
HIGHLIGHTED = re.compile(r'<div class="highlight"><pre>.*?</pre>', re.DOTALL)


def _declarations(body: str) -> dict[str, str]:
    pairs = (d.split(":", 1) for d in body.split(";") if ":" in d)
    return {k.strip(): v.strip().lower() for k, v in pairs}


def plain_token_classes(pygments_css: str, other_css: str = "") -> set[str]:
    """Token classes that every theme draws in the block's own colour and nothing else.

    ``pygments_css`` is the output's pygments.css (one ``.highlight`` rule per theme and one
    per token class); a class another stylesheet selects under ``.highlight`` is kept.
    """
    themes: dict[str, dict[str | None, dict[str, str]]] = {}
    pygments_css = re.sub(r"/\*.*?\*/", "", pygments_css, flags=re.DOTALL)
    for prefix, token, body in PYGMENTS_RULE.findall(pygments_css):
        themes.setdefault(prefix.strip(), {})[token or None] = _declarations(body)
    styled = set(re.findall(r"\.highlight\s+\.([\w-]+)", other_css))
    tokens = {t for rules in themes.values() for t in rules if t} - styled
    return {
        t
        for t in tokens
        if all(
            rules.get(t, {}) in ({}, {"color": rules.get(None, {}).get("color")})
            for rules in themes.values()
        )
    }


def unwrap_tokens(page: str, plain: set[str]) -> str:
    """``page`` with the spans of ``plain`` token classes in its code blocks unwrapped (but
    those that are the text of a link)."""
    if not plain:
        return page
    names = "|".join(map(re.escape, sorted(plain)))
    # Tokens inside a link (sphinx-gallery links names to their API pages) keep their spans:
    # the spans, not the link, give them the code's colour.
    span = re.compile(rf'(<a\b[^>]*>.*?</a>)|<span class="(?:{names})">([^<]*)</span>', re.DOTALL)

    def unwrap(match: re.Match[str]) -> str:
        return match[0] if match[1] else match[2]

    return HIGHLIGHTED.sub(lambda block: span.sub(unwrap, block[0]), page)


def unwrap_plain_tokens(app, exception) -> None:
    """Unwrap, in every page of the output, the code tokens that their spans do not colour."""
    static = Path(app.outdir) / "_static"
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    if not (static / "pygments.css").is_file():
        return
    others = "".join(
        p.read_text(encoding="utf-8") for p in static.rglob("*.css") if p.name != "pygments.css"
    )
    plain = plain_token_classes((static / "pygments.css").read_text(encoding="utf-8"), others)
    for page in (p for p in Path(app.outdir).rglob("*.html") if "_sources" not in p.parts):
        text = page.read_text(encoding="utf-8")
        if (new := unwrap_tokens(text, plain)) != text:
            page.write_text(new, encoding="utf-8")


# -- Light pages: KaTeX's MathML without what no reader of a web page uses ------------------------
# In an HTML page a <math> element is MathML without an xmlns (the parser puts it there), and
# the TeX source KaTeX keeps in an <annotation> is read by no browser or screen reader (the
# EPUB, which is XHTML, is built by another builder and keeps both).
MATHML_NAMESPACE = ' xmlns="http://www.w3.org/1998/Math/MathML"'
TEX_ANNOTATION = re.compile(
    r'<semantics>(.*?)<annotation encoding="application/x-tex">[^<]*</annotation></semantics>',
    re.DOTALL,
)


def lighter_mathml(body: str) -> str:
    """``body`` with KaTeX's MathML namespaces and TeX annotations left out."""
    return TEX_ANNOTATION.sub(r"\1", body.replace(MATHML_NAMESPACE, ""))


def drop_tex_annotations(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name in SITE_BUILDERS and "body" in context:
        context["body"] = lighter_mathml(context["body"])


# -- Light pages: KaTeX's fonts cut to the characters of the pages --------------------------------
# The KaTeX HTML of a formula draws every glyph from a character of its own text (sizes of
# delimiters are the same characters in the Size fonts; roots, arrows and braces are SVG), so
# a font that keeps every character some page's text holds draws every formula of the book.
KATEX_FONTS = Path(__file__).resolve().parents[1] / "_static" / "katex" / "fonts"
TAG = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.DOTALL)


def page_characters(pages: list[str]) -> set[int]:
    """The code points of every page's text (tags, scripts and styles aside; entities read)."""
    from html import unescape

    return {ord(c) for page in pages for c in unescape(TAG.sub(" ", page))}


def subset_katex_fonts(app, exception) -> None:
    """Rewrite the output's KaTeX woff2 fonts to the characters the pages hold."""
    fonts = Path(app.outdir) / "_static" / "katex" / "fonts"
    if exception is not None or app.builder.name not in SITE_BUILDERS or not fonts.is_dir():
        return
    pages = [p for p in Path(app.outdir).rglob("*.html") if "_sources" not in p.parts]
    characters = page_characters([p.read_text(encoding="utf-8") for p in pages])
    # Always from the vendored originals, whatever an earlier build left in the output.
    subset_woff2(sorted(KATEX_FONTS.glob("*.woff2")), fonts, characters, Path(app.doctreedir))


def subset_woff2(
    sources: list[Path], target: Path, codepoints: set[int], cache: Path | None = None
) -> None:
    """Write each woff2 webfont of ``sources`` into ``target``, cut to ``codepoints``.

    With a ``cache`` directory, a subset already made from the same font bytes and the same
    code points is copied from there instead of made again (woff2 compression takes seconds;
    a build that changed no page asks for the same subsets). The cache keeps the latest
    subset of each font only.
    """
    import hashlib
    import io
    import shutil

    from fontTools import subset

    options = subset.Options(flavor="woff2")
    wanted = ",".join(map(str, sorted(codepoints))).encode()
    for source in sources:
        data = source.read_bytes()
        kept = None
        if cache is not None:
            key = hashlib.sha256(data + b"\0" + wanted).hexdigest()[:20]
            kept = cache / "font-subsets" / f"{source.stem}-{key}.woff2"
            if kept.is_file():
                shutil.copyfile(kept, target / source.name)
                continue
        font = subset.load_font(io.BytesIO(data), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        subset.save_font(font, str(target / source.name), options)
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            for older in kept.parent.glob(f"{source.stem}-*.woff2"):
                older.unlink()
            shutil.copyfile(target / source.name, kept)


# -- Light pages: the scripts and stylesheets pages load, minified ---------------------------------
# The theme's bundles come minified; Sphinx's, the extensions' and the book's own files do not
# (comments, indentation). rjsmin and rcssmin drop only those, keeping strings and templates.
def loaded_stylesheets(outdir: Path, pages: list[Path]) -> list[Path]:
    """Every stylesheet of the output that some page links."""
    found: set[Path] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"?#]+)', text):
            if (path := (page.parent / href).resolve()).is_file():
                found.add(path)
    return sorted(found)


def minify_assets(app, exception) -> None:
    """Minify, in the output, every script and stylesheet a page loads that is not yet."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    import rcssmin
    import rjsmin

    out = Path(app.outdir)
    pages = [p for p in out.rglob("*.html") if "_sources" not in p.parts]
    for files, minify in (
        (loaded_scripts(out, pages), rjsmin.jsmin),
        (loaded_stylesheets(out, pages), rcssmin.cssmin),
    ):
        for path in (f for f in files if ".min." not in f.name and out in f.parents):
            text = path.read_text(encoding="utf-8")
            if (small := minify(text)) != text:
                path.write_text(small, encoding="utf-8")


def setup(app) -> dict[str, Any]:
    app.connect("builder-inited", forget_purged_copies)
    # After the icon fonts are cut (slopebook_html, priority 500): it rewrites the theme CSS.
    app.connect("html-page-context", drop_tex_annotations)
    # After pydata-sphinx-theme writes pygments.css (500), before the purge reads the pages.
    app.connect("build-finished", unwrap_plain_tokens, priority=790)
    app.connect("build-finished", purge_unused_css, priority=800)
    app.connect("build-finished", subset_katex_fonts)
    app.connect("build-finished", minify_assets, priority=850)  # after the purge
    return {"parallel_read_safe": True, "parallel_write_safe": True}
