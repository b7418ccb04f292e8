"""Reader-experience hooks for the book's HTML: light, offline, accessible, reproducible."""

from __future__ import annotations

import hashlib
import re
from html import escape as html_escape
from pathlib import Path

from docutils import nodes


# -- every chapter downloadable as an executed notebook --------------------------------------
# The theme's download menu lists an .ipynb when the context names one; myst-nb writes each
# chapter's notebook to jupyter_execute/ (in cache mode without outputs: those are cached).
def offer_notebook_download(app, pagename, templatename, context, doctree) -> None:
    """Copy the executed notebook of a chapter into _sources/ and link it from the page."""
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    if app.builder.name not in {"html", "dirhtml"}:  # the site's pages only, not PDF or EPUB
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
        _, notebook = get_cache(config.execution_cache_path).merge_match_into_notebook(notebook)
    # The same file every build: cell ids by position (nbformat draws random ones), animation
    # ids stable, and a stream in one piece however the kernel happened to flush it.
    for index, cell in enumerate(notebook.cells):
        cell["id"], outputs = f"cell-{index}", []
        for out in cell.get("outputs", []):
            if isinstance(html := out.get("data", {}).get("text/html"), str):
                out["data"]["text/html"] = stable_animation_ids(html, f"{pagename}{index}")
            if outputs and "name" in out and out["name"] == outputs[-1].get("name"):
                outputs[-1]["text"] += out["text"]
            else:
                outputs.append(out)
        if "outputs" in cell:
            cell["outputs"] = outputs
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


# -- icon font cut down to the icons the book shows ------------------------------------------
# Without fontawesome.js the theme draws icons from Font Awesome's woff2 webfonts (SIL OFL
# 1.1; the solid face alone is 115 kB). After the build they are cut to the glyphs the pages
# can show: every fa-<name> class in a page or script, every icon a stylesheet draws itself.
FA_WEBFONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2")
FA_CLASS_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"((?:\\[0-9a-f]+ ?|\\.|[^"\\])+)"\}')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)")
PRIVATE_USE = re.compile(r"\\([ef][0-9a-f]{3})\b|([\ue000-\uf8ff])")


def _css_string(value: str) -> str:
    """The characters of a CSS string's body: ``\\f0c9`` is U+F0C9, ``\\+`` is "+"."""
    return CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], value)


def subset_icon_fonts(app, exception) -> None:
    """Cut the output's Font Awesome webfonts and icon rules down to the icons in use."""
    fonts = Path(app.outdir) / "_static" / "vendor" / "fontawesome" / "webfonts"
    if exception is not None or app.builder.name not in {"html", "dirhtml"} or not fonts.is_dir():
        return  # the site only (not the PDF's one-page build, not the EPUB), with the theme's icons
    import pydata_sphinx_theme
    from slopebook_purge import subset_woff2

    static = Path(app.outdir) / "_static"
    # Always start from the theme's own files, whatever an earlier build left in the output.
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    css = (theme / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    by_class = {
        name: {ord(c) for c in _css_string(value)}
        for names, value in FA_CLASS_RULE.findall(css)
        for name in re.findall(r"fa-[a-z0-9-]+", names)
    }
    files = [*Path(app.outdir).rglob("*.html"), *static.rglob("*.js")]
    texts = [p.read_text(encoding="utf-8") for p in files if not p.name.startswith("fontawesome")]
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
    subset_woff2([source / name for name in FA_WEBFONTS], fonts, codepoints, Path(app.doctreedir))


# -- accessibility ---------------------------------------------------------------------------
# sphinx-gallery gives its thumbnails an empty alt: name each after its demo.
def describe_gallery_thumbnails(app, doctree, docname) -> None:
    """Give every sphinx-gallery thumbnail the alt text "Preview of the demo: <title>"."""
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if image.get("alt") or "sphx_glr_" not in uri or "_thumb." not in uri:
            continue
        after = image.parent.children[image.parent.index(image) + 1 :]  # the card's link is next
        title = next((n.astext().strip() for n in after if isinstance(n, nodes.paragraph)), "")
        if not title:
            msg = f"{docname}: gallery thumbnail {uri} has no title to describe it"
            raise ValueError(msg)
        image["alt"] = f"Preview of the demo: {title}"


# A thumbnail's tooltip is its demo's first paragraph, whose maths arrives as raw TeX:
# tooltips cannot typeset, so the few commands the demos use become Unicode.
_TEX_SYMBOLS = {
    "nabla": "∇", "cdot": "·", "times": "×", "pi": "π", "sigma": "σ", "eta": "η",
    "top": "ᵀ", "sin": "sin", "cos": "cos", "tanh": "tanh", "exp": "exp", "log": "log",
}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_math(text: str) -> str:
    """TeX commands and simple powers as Unicode: ``x^2 \\cdot \\nabla f`` -> ``x² · ∇f``.

    An unknown command raises: a new demo's tooltip must not show raw TeX unnoticed.
    """

    def symbol(match: re.Match[str]) -> str:
        if match[1] not in _TEX_SYMBOLS:
            msg = f"no plain-text form for \\{match[1]} in a tooltip: add it to _TEX_SYMBOLS"
            raise ValueError(msg)
        return _TEX_SYMBOLS[match[1]]

    text = re.sub(r"\^\\top\b", "ᵀ", text)
    text = re.sub(r"(?<=[\w.])\\(sin|cos|tanh|exp|log)\b", r" \\\1", text)  # 0.3\sin -> 0.3 sin
    text = re.sub(r"\\([A-Za-z]+)", symbol, text)
    text = re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    return text.replace("∇ ", "∇")


def plain_tooltips(app, doctree, docname) -> None:
    """Rewrite the TeX in every sphinx-gallery thumbnail tooltip as plain Unicode."""
    describe_gallery_thumbnails(app, doctree, docname)
    for raw in (r for r in doctree.findall(nodes.raw) if 'tooltip="' in r.astext()):
        fixed = re.sub(r'tooltip="([^"]*)"', lambda m: f'tooltip="{plain_math(m[1])}"', raw[0])
        raw.replace_self(nodes.raw("", fixed, format=raw.get("format", "html")))


# The theme folds subsections into a <details> whose <summary> holds only an icon: name it.
def name_navigation_toggles(app, pagename, templatename, context, doctree) -> None:
    """Wrap the theme's generate_toctree_html to give every <summary> an aria-label."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return
    from bs4 import BeautifulSoup
    from markupsafe import Markup

    def named(*args, **kwargs):
        soup = BeautifulSoup(str(generate(*args, **kwargs)), "html.parser")
        for summary in (s for s in soup.find_all("summary") if not s.get_text(strip=True)):
            link = (summary.find_parent("li") or soup.new_tag("li")).find("a")
            title = link.get_text(" ", strip=True) if link is not None else "this section"
            summary["aria-label"] = f"Show or hide the pages under {title}"
        return Markup(str(soup))

    context["generate_toctree_html"] = named


# matplotlib's jshtml player links Font Awesome 4 from a CDN (the theme's own draws its
# icons), leaves its frame unnamed, and names its elements after random uuids. Docutils marks
# a bibliography role="list" but its entries role="doc-biblioentry" (deprecated in WAI-ARIA
# 1.3): a list without items, a critical axe violation.
ANIMATION_ID = re.compile(r"(?:_anim_img|_anim_slider|_anim_loop_select|anim)([0-9a-f]{32})")
ANIMATION_IMAGE = re.compile(r'<img id="(_anim_img[0-9a-f]+)">')
BODY_FIXES = (  # (pattern, replacement)
    (r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*"[^>]*>', ""),
    (r'<input id="(_anim_slider[0-9a-f]+)" type="range"', r'\g<0> aria-label="Animation frame"'),
    (r'(<div class="citation" id="[^"]*") role="doc-biblioentry"', r'\1 role="listitem"'),
)


def stable_animation_ids(text: str, salt: str) -> str:
    """Replace each random animation id in ``text`` by one derived from ``salt`` and its order.

    Idempotent: the replacements are again 32 hex digits, mapped to themselves next time.
    """
    for index, old in enumerate(dict.fromkeys(ANIMATION_ID.findall(text))):
        new = hashlib.md5(f"{salt}:{index}".encode(), usedforsecurity=False).hexdigest()
        text = text.replace(old, new)
    return text


def fix_body(app, pagename, templatename, context, doctree) -> None:
    """Animation players offline, named and stable; citation entries list items."""
    body = stable_animation_ids(context.get("body", ""), pagename)
    title = re.sub(r"<[^>]+>", "", context.get("title", "")).strip() or pagename
    alt = html_escape(f"Animation for “{title}”: play it or step through its frames below")
    body = ANIMATION_IMAGE.sub(lambda m: f'<img id="{m[1]}" alt="{alt}">', body)
    for pattern, replacement in BODY_FIXES:
        body = re.sub(pattern, replacement, body)
    context["body"] = body


# -- each page loads only the extensions' assets it uses ------------------------------------
PAGE_ASSETS = {  # file name prefix -> what a page's body must contain to need it
    "sg_gallery": re.compile(r'class="[^"]*\bsphx-glr'),
    "sg-tags.js": re.compile(r'class="[^"]*\bsphx-glr'),
    "sphinx-design.min.css": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-tab'),
    "stepper.": re.compile(r'class="[^"]*\bsb-stepper'),
}


def drop_unused_assets(app, pagename, templatename, context, doctree) -> None:
    """Remove gallery, design and stepper assets from the pages that do not use them."""
    unused = tuple(
        p for p, used in PAGE_ASSETS.items() if not used.search(context.get("body", ""))
    )
    for key in ("css_files", "script_files"):
        assets = context.get(key, [])
        context[key] = [
            a for a in assets if not Path(str(getattr(a, "filename", a))).name.startswith(unused)
        ]


def setup(app) -> dict[str, bool]:
    # Before the book theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("build-finished", subset_icon_fonts)
    app.connect("doctree-resolved", plain_tooltips)
    # After pydata-sphinx-theme has put generate_toctree_html into the context (500).
    app.connect("html-page-context", name_navigation_toggles, priority=600)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
