"""Sphinx configuration for the slopebook book, one section per extension."""

from __future__ import annotations

import os
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
# Figures numbered like a book, per chapter: "Fig. 3.2" is the second figure of chapter 3
# (the chapters toctree in index.md is :numbered:).
numfig = True
numfig_secnum_depth = 1

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
    # The sidebar holds the current page's branch, not every API page under every page
    # (24 kB of each chapter's HTML).
    "collapse_navbar": True,
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

# -- Trustworthy builds: the libraries' options, then docs/_ext/slopebook_build.py -----------
# Every page and demo re-runs when src/slopebook changes: myst-nb's cache is keyed by a hash of
# the package sources (a changed cache path is a changed setting, so Sphinx re-reads every
# page), and the extension re-runs every demo when that hash changed. A cell or demo that
# raises or warns fails the build, and so does a page with code that has no execution record.
import sys

sys.path.insert(0, str(DOCS / "_ext"))
from slopebook_build import package_hash

extensions.append("slopebook_build")
# The accuracy appendix also imports the repository's benchmarks/: an edit there re-runs too.
slopebook_package_hash = package_hash(ROOT / "src" / "slopebook", ROOT / "benchmarks")
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache" / slopebook_package_hash)
# A cell that writes to stderr (a warning, say) fails the build. The kernel inherits
# PYTHONWARNINGS: library deprecations are shown, not hidden.
nb_output_stderr = "warn"
os.environ.setdefault("PYTHONWARNINGS", "default")
sphinx_gallery_conf["only_warn_on_example_error"] = False
# A warning in a demo raises there (see slopebook_build.gallery_warnings).
sphinx_gallery_conf["reset_modules"] = (
    "matplotlib",
    "seaborn",
    "slopebook_build.gallery_warnings",
)
sphinx_gallery_conf["reset_modules_order"] = "both"
# The demos run two at a time (sphinx-gallery's own parallel mode, which needs joblib: it is in
# the docs dependency group; without it they run one after another).
import importlib.util

sphinx_gallery_conf["parallel"] = 2 if importlib.util.find_spec("joblib") else False

# -- Parallel builds: docs/_ext/slopebook_parallel.py --------------------------------------
# `sphinx-build -j N` (nox -s docs passes -j auto) reads the pages in N processes; this shares
# the pages that execute code out between them, so that no process runs every notebook.
extensions.append("slopebook_parallel")

# -- Reader experience: docs/_ext/slopebook_html.py -----------------------------------------
# Chapter notebooks as downloads, the icon font cut to the icons in use, accessible names the
# theme and sphinx-gallery leave out, offline animation players, and per-page assets.
extensions.append("slopebook_html")

# -- Explorables: docs/_ext/slopebook_explorable.py ----------------------------------------
# Figures the reader moves, computed live in the page (plain JS + SVG, offline), each with its
# static executed figure as the no-JavaScript and print fallback. A page loads only the
# scripts of its own explorables; docs/_ext/explorable_checks.py supplies the values slopebook
# computes at a few control positions, which tests/browser/test_explorables.py compares.
extensions.append("slopebook_explorable")

# -- PDF and EPUB --------------------------------------------------------------------------
# docs/_ext/slopebook_formats.py: slopebook's wheel on the site and in the download menu with
# the PDF and the EPUB, chapter notebooks that run without myst-nb, theme CSS without the
# rules no page uses, and the EPUB's MathML. `nox -s formats` builds the PDF (Chromium prints
# the one-page build with docs/_static/print.css) and the EPUB from the executed cache.
extensions.append("slopebook_formats")
slopebook_wheel_source = str(ROOT)
# What a downloaded notebook needs beyond slopebook's own dependencies: packages for its
# install line, and anything else, said in words. The accuracy appendix compares slopebook
# with scipy and numdifftools through the repository's benchmarks/ folder.
slopebook_notebook_needs = {
    "appendix/accuracy": (
        ["scipy", "numdifftools"],
        (
            "the repository's benchmarks/ folder: run it from docs/appendix/ in a clone of "
            "the slopebook repository"
        ),
    ),
}
epub_basename = "slopebook"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_language = "en"
epub_show_urls = "no"
# The NCX table of contents repeats the identifier under the name of its id (epub_uid).
epub_uid = epub_identifier = f"slopebook-{release}"
# Downloads and the site's search have no place in an e-book.
epub_exclude_files = ["search.html", "genindex.html", "py-modindex.html"]
