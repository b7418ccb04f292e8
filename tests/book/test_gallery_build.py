"""Checks on the built gallery and API reference in docs/_build/html.

Build the book first (``nox -s docs``); without a build these tests are skipped, with
the reason given. They check what a reader relies on: every demo has a page with its
figures and both downloads, the zip of all demos is linked from the gallery index, and an
API page lists the demos that use its function.
"""

from __future__ import annotations

import inspect
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

import slopebook

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "docs" / "_build" / "html"
GALLERY = HTML / "auto_examples"
DEMOS = sorted((ROOT / "gallery").glob("**/plot_*.py"))

pytestmark = pytest.mark.skipif(
    not (GALLERY / "index.html").is_file(),
    reason="the book is not built: run `nox -s docs` (or sphinx-build) to check the gallery",
)


def _page(demo: Path) -> Path:
    return GALLERY / demo.parent.name / f"{demo.stem}.html"


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def _target(page: Path, href: str) -> Path:
    return (page.parent / href.split("#")[0]).resolve()


@pytest.mark.parametrize("demo", DEMOS, ids=[f"{p.parent.name}/{p.name}" for p in DEMOS])
def test_demo_page_has_figures_and_both_downloads(demo):
    page = _page(demo)
    assert page.is_file(), f"no page for {demo.name}: was the book built after adding it?"
    html = page.read_text(encoding="utf-8")
    for suffix in (".py", ".ipynb"):
        hrefs = [h for h in _links(html) if h.endswith(f"/{demo.stem}{suffix}")]
        assert hrefs, f"{page.name} has no {suffix} download link"
        assert all(_target(page, h).is_file() for h in hrefs), f"broken {suffix} download"
    images = re.findall(r'<img [^>]*src="([^"]+)"', html)
    figures = [src for src in images if "sphx_glr_" in src]
    animated = 'class="animation"' in html  # a matplotlib animation rendered as JS/HTML
    assert figures or animated, f"{page.name} shows no figure"
    assert all(_target(page, src).is_file() for src in figures)
    assert "Traceback" not in html, f"{page.name} shows a traceback"


def test_download_all_zip_is_linked_from_the_gallery_index():
    index = GALLERY / "index.html"
    zips = [h for h in _links(index.read_text(encoding="utf-8")) if h.endswith(".zip")]
    names = {Path(h).name for h in zips}
    assert {"auto_examples_python.zip", "auto_examples_jupyter.zip"} <= names
    for href in zips:
        assert _target(index, href).is_file(), f"the linked zip {href} is missing"
    for href in zips:
        suffix = ".py" if href.endswith("_python.zip") else ".ipynb"
        with zipfile.ZipFile(_target(index, href)) as archive:
            inside = {Path(n).name for n in archive.namelist()}
        missing = {d.stem + suffix for d in DEMOS} - inside
        assert not missing, f"{Path(href).name} lacks {sorted(missing)}"


def test_gallery_index_shows_a_thumbnail_per_demo():
    html = (GALLERY / "index.html").read_text(encoding="utf-8")
    for demo in DEMOS:
        assert f"sphx_glr_{demo.stem}_thumb" in html, f"no thumbnail for {demo.name}"


def test_api_page_of_derivative_shows_its_demo():
    page = HTML / "generated" / "slopebook.derivative.html"
    html = page.read_text(encoding="utf-8")
    assert "Gallery demos using" in html
    assert "sphx-glr-thumbcontainer" in html
    assert "plot_finite_vs_autograd.html" in html


def test_api_page_of_a_reexported_function_finds_its_demos():
    # Defined in slopebook.descent, called by the demos as sb.gradient_descent.
    html = (HTML / "generated" / "slopebook.gradient_descent.html").read_text("utf-8")
    assert "plot_gradient_descent_learning_rates.html" in html
    assert "plot_loss_landscape_slice.html" in html


def test_no_gallery_notebook_is_a_myst_nb_source():
    # sphinx-gallery's notebooks are downloads; myst-nb must not turn them into pages.
    assert not list((HTML / "_sources" / "auto_examples").glob("**/*.ipynb*"))
    assert not list((HTML / "auto_examples").glob("**/*.ipynb"))


def _public_functions() -> list[tuple[str, str]]:
    """Every public function as a pair of names its API page may have.

    A top-level re-export such as ``slopebook.descent.gradient_descent`` is documented
    under its short name ``slopebook.gradient_descent``.
    """
    names = []
    for name in slopebook.__all__:
        obj = getattr(slopebook, name)
        if inspect.isfunction(obj):
            names.append((f"slopebook.{name}", f"{obj.__module__}.{obj.__name__}"))
        elif isinstance(obj, ModuleType):
            for member in getattr(obj, "__all__", []):
                fn = getattr(obj, member)
                if inspect.isfunction(fn) and fn.__module__ == obj.__name__:
                    top = getattr(slopebook, member, None) is fn
                    short = f"slopebook.{member}" if top else f"{obj.__name__}.{member}"
                    names.append((f"{obj.__name__}.{member}", short))
    return names


@pytest.mark.parametrize(("name", "defined_as"), _public_functions())
def test_every_public_function_has_an_api_page(name, defined_as):
    pages = [HTML / "generated" / f"{n}.html" for n in (name, defined_as)]
    assert any(p.is_file() for p in pages), (
        f"{name} has no API page: list it (or its module) in docs/api.md"
    )


def test_chapter_figures_survive_the_gallery_configuration():
    # sphinx-gallery needs Agg, but an MPLBACKEND=Agg exported from conf.py reaches the
    # myst-nb kernels too, and then no chapter cell displays its figure.
    html = (HTML / "chapters" / "slope.html").read_text(encoding="utf-8")
    assert "<img" in html, "the slope chapter shows no figure: is MPLBACKEND set for kernels?"
    assert 'id="fig-slope-error-vs-h"' in html


def test_thumbnail_tooltips_show_no_raw_tex():
    # A tooltip is plain text; "\\nabla f \\cdot u" there is noise. docs/_ext rewrites it.
    pages = [GALLERY / "index.html", *sorted((HTML / "generated").glob("*.html"))]
    tooltips = [t for p in pages for t in re.findall(r'tooltip="([^"]*)"', p.read_text("utf-8"))]
    assert len(tooltips) >= len(DEMOS)
    raw = [t for t in tooltips if re.search(r"\\[A-Za-z]+|\^\{", t)]
    assert not raw, raw[:3]
    assert any("∇f" in t for t in tooltips)  # the directional-derivative demo's D_u f = ∇f · u
