"""Reader-experience hooks for the slopebook book's HTML (see the issue on reader experience).

Each hook keeps pages light, offline and accessible: every chapter offered as an executed
notebook, the Font Awesome webfonts cut to the glyphs the pages show, names for controls the
theme leaves unnamed, animation players without CDN icons, and assets only where used.
"""

from __future__ import annotations

import hashlib
import re
from html import escape as html_escape
from pathlib import Path


# -- HTML: every chapter downloadable as an executed notebook --------------------------------
# The book theme's download menu offers a page's source (.md) and, when it finds one, an
# .ipynb. myst-nb writes each chapter as a notebook to <build>/jupyter_execute/<page>.ipynb;
# this hook writes it, with the outputs of its execution, beside the page's source in the
# HTML output and tells the theme, which then lists ".ipynb" in the menu.
def offer_notebook_download(app, pagename, templatename, context, doctree) -> None:
    """Copy the executed notebook of a chapter into _sources/ and link it from the page."""
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    import nbformat
    from jupyter_cache import get_cache

    config = app.env.mystnb_config
    written = Path(config.output_folder) / f"{pagename}.ipynb"
    if not written.is_file():
        msg = f"{pagename}: no notebook at {written} to offer as a download"
        raise FileNotFoundError(msg)
    notebook = nbformat.read(written, as_version=4)
    if config.execution_mode == "cache":
        # In cache mode myst-nb writes the notebook without its outputs: take them from the
        # jupyter-cache record of this very notebook.
        _, notebook = get_cache(config.execution_cache_path).merge_match_into_notebook(notebook)
    # The same notebook every build: cell ids by position (nbformat draws random ones), and
    # animation ids as on the page.
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
        for output in cell.get("outputs", []):
            if isinstance(output.get("data", {}).get("text/html"), str):
                output["data"]["text/html"] = stable_animation_ids(
                    output["data"]["text/html"], f"{pagename}:{index}"
                )
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


# -- HTML: icon font cut down to the icons the book shows -----------------------------------
# Without fontawesome.js the theme draws its icons from Font Awesome's woff2 webfonts
# (SIL OFL 1.1), whose solid face alone is 115 kB for some 2,000 glyphs. After the build the
# fonts in the output are replaced by subsets holding only the glyphs the pages can show:
# every fa-<name> class named in a page or a script, and every icon a stylesheet draws
# itself (admonition titles, external links, ...). tests/browser/test_browser.py checks that every
# icon on every page has its glyph.
FA_WEBFONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2")
FA_CLASS_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"((?:\\[0-9a-f]+ ?|\\.|[^"\\])+)"\}')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)")
PRIVATE_USE = re.compile(r"\\([ef][0-9a-f]{3})\b|([\ue000-\uf8ff])")


def _css_string(value: str) -> str:
    """The characters of a CSS string's body: ``\\f0c9`` is U+F0C9, ``\\+`` is "+"."""
    return CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], value)


def subset_icon_fonts(app, exception) -> None:
    """Cut the output's Font Awesome webfonts and icon rules down to the icons in use."""
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme
    from fontTools import subset

    static = Path(app.outdir) / "_static"
    # Always start from the theme's own files, whatever an earlier build left in the output.
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    css = (theme / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    by_class = {
        name: {ord(c) for c in _css_string(value)}
        for names, value in FA_CLASS_RULE.findall(css)
        for name in re.findall(r"fa-[a-z0-9-]+", names)
    }
    texts = [p.read_text(encoding="utf-8") for p in Path(app.outdir).rglob("*.html")]
    texts += [
        p.read_text(encoding="utf-8")
        for p in static.rglob("*.js")
        if not p.name.startswith("fontawesome")
    ]
    used = {name for text in texts for name in re.findall(r"fa-[a-z0-9-]+", text)}
    codepoints = {cp for name in used for cp in by_class.get(name, ())}
    for sheet in static.rglob("*.css"):
        text = FA_CLASS_RULE.sub("", sheet.read_text(encoding="utf-8"))
        codepoints |= {int(h, 16) if h else ord(c) for h, c in PRIVATE_USE.findall(text)}
    # The class rules of icons no page uses go too (1,900 of them, 66 kB of the stylesheet).
    (static / "styles" / "pydata-sphinx-theme.css").write_text(
        FA_CLASS_RULE.sub(
            lambda m: m[0] if used & set(re.findall(r"fa-[a-z0-9-]+", m[1])) else "", css
        ),
        encoding="utf-8",
    )
    source = theme / "vendor" / "fontawesome" / "webfonts"
    options = subset.Options()
    options.flavor = "woff2"
    for name in FA_WEBFONTS:
        font = subset.load_font(str(source / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        subset.save_font(font, str(static / "vendor" / "fontawesome" / "webfonts" / name), options)


# -- HTML: accessibility --------------------------------------------------------------------
# sphinx-gallery gives its thumbnails an empty alt, marking them decorative; a reader on a
# screen reader then meets an unnamed picture in every card. Name each one after its demo.
def describe_gallery_thumbnails(app, doctree, docname) -> None:
    """Give every sphinx-gallery thumbnail the alt text "Preview of the demo: <title>"."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if image.get("alt") or "sphx_glr_" not in uri or "_thumb." not in uri:
            continue
        # The card's link to the demo is the paragraph right after its thumbnail.
        after = image.parent.children[image.parent.index(image) + 1 :]
        title = next((n.astext().strip() for n in after if isinstance(n, nodes.paragraph)), "")
        if not title:
            msg = f"{docname}: gallery thumbnail {uri} has no title beside it to describe it"
            raise ValueError(msg)
        image["alt"] = f"Preview of the demo: {title}"


# A thumbnail's tooltip is the first paragraph of its demo's docstring, as plain text: its
# maths arrives as raw TeX ("D_u f = \\nabla f \\cdot u"). Tooltips cannot typeset, so
# write the few commands the demos use as the Unicode a reader would write by hand.
_TEX_SYMBOLS = {
    "nabla": "∇", "cdot": "·", "times": "×", "pi": "π", "sigma": "σ", "eta": "η",
    "top": "ᵀ", "sin": "sin", "cos": "cos", "tanh": "tanh", "exp": "exp", "log": "log",
}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_math(text: str) -> str:
    """TeX commands and simple powers as Unicode: ``x^2 \\cdot \\nabla f`` -> ``x² · ∇f``.

    An unknown command raises: a new demo's tooltip must not show raw TeX unnoticed.
    """
    import re

    def symbol(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in _TEX_SYMBOLS:
            msg = f"no plain-text form for \\{name} in a gallery tooltip: add it to _TEX_SYMBOLS"
            raise ValueError(msg)
        return _TEX_SYMBOLS[name]

    text = re.sub(r"\^\\top\b", "ᵀ", text)
    text = re.sub(r"(?<=[\w.])\\(sin|cos|tanh|exp|log)\b", r" \\\1", text)  # 0.3\sin -> 0.3 sin
    text = re.sub(r"\\([A-Za-z]+)", symbol, text)
    text = re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    return text.replace("∇ ", "∇")


def plain_tooltips(app, doctree, docname) -> None:
    """Rewrite the TeX in every sphinx-gallery thumbnail tooltip as plain Unicode."""
    import re

    from docutils import nodes

    for raw in doctree.findall(nodes.raw):
        html = raw.astext()
        if 'tooltip="' not in html:
            continue
        fixed = re.sub(r'tooltip="([^"]*)"', lambda m: f'tooltip="{plain_math(m.group(1))}"', html)
        raw.replace_self(nodes.raw("", fixed, format=raw.get("format", "html")))


# The theme's navigation folds each chapter's subsections into a <details> whose <summary>
# holds only a chevron icon, so screen readers announce an unnamed control. Name each one
# after the entry it opens.
def name_navigation_toggles(app, pagename, templatename, context, doctree) -> None:
    """Wrap the theme's generate_toctree_html to give every <summary> an aria-label."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return
    from bs4 import BeautifulSoup
    from markupsafe import Markup

    def named(*args, **kwargs):
        soup = BeautifulSoup(str(generate(*args, **kwargs)), "html.parser")
        for summary in soup.find_all("summary"):
            if summary.get_text(strip=True):
                continue
            entry = summary.find_parent("li")
            link = entry.find("a") if entry is not None else None
            title = link.get_text(" ", strip=True) if link is not None else "this section"
            summary["aria-label"] = f"Show or hide the pages under {title}"
        return Markup(str(soup))

    context["generate_toctree_html"] = named


# matplotlib's jshtml animation player (sphinx-gallery's animations use it) links Font
# Awesome 4 from a CDN, and leaves its frame image without alt text and its frame slider
# without a label. The theme's own Font Awesome draws the player's icons, so the link goes;
# the image and the slider are named after the page.
#: matplotlib's jshtml animation names its elements after ``uuid.uuid4().hex``.
ANIMATION_ID = re.compile(r"(?:_anim_img|_anim_slider|_anim_loop_select|anim)([0-9a-f]{32})")


def stable_animation_ids(text: str, salt: str) -> str:
    """Replace each random animation id in ``text`` by one derived from ``salt`` and its order.

    Idempotent: the replacements are again 32 hex digits, mapped to themselves next time.
    """
    for index, old in enumerate(dict.fromkeys(ANIMATION_ID.findall(text))):
        new = hashlib.md5(f"{salt}:{index}".encode(), usedforsecurity=False).hexdigest()
        text = text.replace(old, new)
    return text


JSHTML_CDN_LINK = re.compile(
    r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*"[^>]*>'
)
JSHTML_IMAGE = re.compile(r'<img id="(_anim_img[0-9a-f]+)">')
JSHTML_SLIDER = re.compile(r'<input id="(_anim_slider[0-9a-f]+)" type="range"')


def fix_jshtml_players(app, pagename, templatename, context, doctree) -> None:
    """Make every jshtml animation player on the page offline, accessible and reproducible."""
    body = context.get("body", "")
    if "_anim_img" not in body:
        return
    body = stable_animation_ids(body, pagename)
    title = re.sub(r"<[^>]+>", "", context.get("title", "")).strip() or pagename
    alt = html_escape(f"Animation for “{title}”: play it or step through its frames below")
    body = JSHTML_CDN_LINK.sub("", body)
    body = JSHTML_IMAGE.sub(lambda m: f'<img id="{m[1]}" alt="{alt}">', body)
    body = JSHTML_SLIDER.sub(
        lambda m: f'<input id="{m[1]}" type="range" aria-label="Animation frame"', body
    )
    context["body"] = body


# Docutils marks a bibliography as role="list" but each entry as role="doc-biblioentry"
# (deprecated in WAI-ARIA 1.3), so the list has no list items: a critical axe violation.
# Each entry becomes a list item.
def fix_citation_lists(app, pagename, templatename, context, doctree) -> None:
    """Give the entries of every citation list the role listitem."""
    body = context.get("body", "")
    if 'class="citation-list"' in body:
        context["body"] = re.sub(
            r'(<div class="citation" id="[^"]*") role="doc-biblioentry"',
            r'\1 role="listitem"',
            body,
        )


# -- HTML: each page loads only the extensions' assets it uses -----------------------------
# sphinx-gallery, sphinx-design and the overview stepper add their stylesheets and scripts
# to every page. A page without a gallery card, a design element (grid, card, tab) or a
# stepper does not need them.
PAGE_ASSETS = {
    # file name prefix -> what the page's body must contain (in a class attribute) to need it
    "sg_gallery": re.compile(r'class="[^"]*\bsphx-glr'),
    "sg-tags.js": re.compile(r'class="[^"]*\bsphx-glr'),
    "sphinx-design.min.css": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-tab'),
    "stepper.": re.compile(r'class="[^"]*\bsb-stepper'),
}


def drop_unused_assets(app, pagename, templatename, context, doctree) -> None:
    """Remove gallery and design assets from the pages that do not use them."""
    body = context.get("body", "")

    def needed(asset) -> bool:
        name = Path(str(getattr(asset, "filename", asset))).name
        return all(
            used.search(body) for prefix, used in PAGE_ASSETS.items() if name.startswith(prefix)
        )

    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if needed(asset)]


def setup(app) -> dict[str, bool]:
    # Before the book theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("build-finished", subset_icon_fonts)
    app.connect("doctree-resolved", describe_gallery_thumbnails)
    app.connect("doctree-resolved", plain_tooltips)
    # After pydata-sphinx-theme has put generate_toctree_html into the context (500).
    app.connect("html-page-context", name_navigation_toggles, priority=600)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", fix_jshtml_players)
    app.connect("html-page-context", fix_citation_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
