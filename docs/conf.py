"""Sphinx configuration for the slopebook book, one section per extension."""

from __future__ import annotations

import os
import re
from html import escape as html_escape
from pathlib import Path

DOCS = Path(__file__).parent
ROOT = DOCS.parent

# -- Project ------------------------------------------------------------------------------
project = "slopebook"
author = "The slopebook authors"
copyright = "2026, the slopebook authors"
from slopebook import __version__ as release

version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinx_exercise",
    # Hides exercise solutions (":class: dropdown") behind a button until the reader opens one.
    "sphinx_togglebutton",
    "sphinxcontrib.katex",
]

# -- General ------------------------------------------------------------------------------
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "jupyter_execute",
    ".jupyter_cache",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes a notebook next to every generated page: those are downloads,
    # not sources, and myst-nb must neither read nor execute them.
    "auto_examples/**/*.ipynb",
    "auto_examples/**/*.py",
    "auto_examples/**/*.zip",
]
nitpicky = True
# Type hints name these through aliases Sphinx cannot resolve; nothing for a reader there.
nitpick_ignore_regex = [
    (r"py:class", r"(numpy\.typing\.|NDArray|ArrayLike|np\.|numpy\.|torch\.|matplotlib\.).*"),
    (r"py:class", r"(Callable|Iterator|Mapping|Any|Method|optional|callable|array_like)"),
    (r"py:class", r"(collections\.abc\.|typing\.).*"),
]
suppress_warnings: list[str] = []
pygments_style = "sphinx"

# -- HTML: sphinx-book-theme ---------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "slopebook"
html_static_path = ["_static"]
html_theme_options = {
    "repository_url": "https://github.com/slopebook/slopebook",
    "path_to_docs": "docs",
    "use_download_button": True,
    "use_source_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
}
html_last_updated_fmt = None
# Book-wide CSS: figure cards that read on both themes, and accessibility fixes.
html_css_files = ["slopebook.css"]
html_js_files = ["slopebook.js"]
# docs/_templates/layout.html drops pydata-sphinx-theme's 1.5 MB fontawesome.js: the theme's
# CSS already draws every icon from its webfont, so the script only duplicated them as SVG.

# -- Maths: KaTeX, rendered at build time ---------------------------------------------------
# Every formula is turned into HTML + MathML by node when the book is built, so a page shows
# its maths from the built files alone: no script, no CDN, nothing typeset in the browser.
# The KaTeX stylesheet and its woff2 fonts are vendored in docs/_static/katex/ from the npm
# package katex, the same version as the katex.min.js that sphinxcontrib-katex runs.
html_math_renderer = "katex"
katex_prerender = True
katex_css_path = "katex/katex.min.css"
# A formula KaTeX cannot parse fails the build instead of showing red source on the page.
import sphinxcontrib.katex

sphinxcontrib.katex.KATEX_DEFAULT_OPTIONS["throwOnError"] = True
# MyST must not add MathJax configuration: KaTeX is the only renderer.
myst_update_mathjax = False

# -- myst-parser / myst-nb -----------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_execution_excludepatterns = ["auto_examples/*", "auto_examples/**"]
nb_merge_streams = True
nb_render_image_options = {"width": "100%"}

# -- sphinx-gallery ------------------------------------------------------------------------
# sphinx-gallery switches matplotlib to Agg itself. MPLBACKEND must NOT be set here: the
# myst-nb kernels inherit this environment, and ipykernel only installs its inline backend
# when MPLBACKEND is unset, so an "Agg" here silently drops every chapter figure.
os.environ.pop("MPLBACKEND", None)
sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "gallery")],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("slopebook",),
    "reference_url": {"slopebook": None},
    "download_all_examples": True,
    "remove_config_comments": True,
    "matplotlib_animations": (True, "jshtml"),
    # Its execution-times page pulls jQuery and DataTables from a CDN.
    "write_computation_times": False,
    "show_memory": False,
    "show_signature": False,
    "plot_gallery": "True",
}

# -- autodoc / autosummary -----------------------------------------------------------------
# docs/api.md lists every public routine; autosummary writes one page per function from
# the templates in _templates/autosummary/ (function.rst, module.rst), each ending in the
# sphinx-gallery mini-gallery of the demos that call the function.
autosummary_generate = True


def _gallery_aliases() -> dict[str, str]:
    """Map ``slopebook.module.name`` to ``slopebook.name`` for every re-exported function/class.

    sphinx-gallery records a demo's call under the shortest public name of the function
    (``slopebook.gradient_descent``), while its API page is generated under the module
    that defines it (``slopebook.descent.gradient_descent``); the function template passes
    both names to ``minigallery`` so that the page finds its demos either way.
    """
    import inspect

    import slopebook

    aliases = {}
    for name in slopebook.__all__:
        obj = getattr(slopebook, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ != "slopebook":
            aliases[f"{obj.__module__}.{obj.__name__}"] = f"slopebook.{name}"
    return aliases


autosummary_context = {"sg_aliases": _gallery_aliases()}
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# -- sphinxcontrib-bibtex: the references page and {cite} roles ----------------------------
extensions.append("sphinxcontrib.bibtex")
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- The overview stepper on the landing page (plain HTML + CSS + JS, works offline) --------
html_css_files = [*globals().get("html_css_files", []), "stepper.css"]
html_js_files = [*globals().get("html_js_files", []), "stepper.js"]

# -- Trustworthy builds: docs/_ext/slopebook_build.py ---------------------------------------
# Re-executes every page and demo when src/slopebook changes (the jupyter-cache is keyed by a
# hash of the package sources), fails a page with code that has no execution record, fails a
# warning printed by a cell or a demo, and renders the {execution-report} table.
import sys

sys.path.insert(0, str(DOCS / "_ext"))
extensions.append("slopebook_build")
slopebook_package_dirs = [str(ROOT / "src" / "slopebook")]
sphinx_gallery_conf["reset_modules"] = (
    *sphinx_gallery_conf.get("reset_modules", ("matplotlib", "seaborn")),
    "slopebook_build.gallery_warnings",
)
sphinx_gallery_conf["reset_modules_order"] = "both"
# Pages that miss the cache run in this many worker processes, started before sphinx-gallery
# runs the demos, so both proceed at once; the read stays serial (no sphinx -j: several readers
# writing one jupyter-cache database lock it). Measured in the report of issue 8.
slopebook_execution_workers = min(os.cpu_count() or 1, 2)


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
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


# -- HTML: icon font cut down to the icons the book shows -----------------------------------
# Without fontawesome.js the theme draws its icons from Font Awesome's woff2 webfonts
# (SIL OFL 1.1), whose solid face alone is 115 kB for some 2,000 glyphs. After the build the
# fonts in the output are replaced by subsets holding only the glyphs the pages can show:
# every fa-<name> class named in a page or a script, and every icon a stylesheet draws
# itself (admonition titles, external links, ...). tests/test_browser.py checks that every
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
JSHTML_CDN_LINK = re.compile(
    r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*"[^>]*>'
)
JSHTML_IMAGE = re.compile(r'<img id="(_anim_img[0-9a-f]+)">')
JSHTML_SLIDER = re.compile(r'<input id="(_anim_slider[0-9a-f]+)" type="range"')


def fix_jshtml_players(app, pagename, templatename, context, doctree) -> None:
    """Make every jshtml animation player on the page offline and accessible."""
    body = context.get("body", "")
    if "_anim_img" not in body:
        return
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


def setup(app) -> None:
    # Before the book theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("build-finished", subset_icon_fonts)
    app.connect("doctree-resolved", describe_gallery_thumbnails)
    # After pydata-sphinx-theme has put generate_toctree_html into the context (500).
    app.connect("html-page-context", name_navigation_toggles, priority=600)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", fix_jshtml_players)
    app.connect("html-page-context", fix_citation_lists)
