"""The seed's numbers for directional derivatives, Jacobians, Hessians and the landscape.

Each chapter glues its numbers with myst-nb; ``tests/book.py`` (the ``chapter`` fixture)
reads the glued values back from the executed notebooks (``<chapter>.glue.json`` with
myst-nb 1.4, whose outputs carry the ``"scrapbook"`` metadata key). These tests compare
them with the seed's numbers and with independent closed forms, and check that the built
HTML page shows them. They skip, saying why, when the book has not been built (run
``nox -s docs`` or the sphinx-build command in the README first).
"""

from __future__ import annotations

import html
import math
import re

import pytest


def _page_text(raw: str) -> str:
    """The page's text: tags removed, entities decoded, any whitespace run as one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw)))


@pytest.fixture
def directional(chapter):
    c = chapter("directional")
    return c.glued, _page_text(c.html)


@pytest.fixture
def jacobian(chapter):
    c = chapter("jacobian")
    return c.glued, _page_text(c.html)


@pytest.fixture
def hessian(chapter):
    c = chapter("hessian")
    return c.glued, _page_text(c.html)


@pytest.fixture
def landscape(chapter):
    c = chapter("landscape")
    return c.glued, c.html


def test_directional_seed_numbers(directional):
    glued, page = directional
    # North-east on x² + y² at (3, 4): (6 + 8) / √2 = 7√2 ≈ 9.9; along the gradient |∇f| = 10.
    assert glued["dir_ne"] == pytest.approx(7 * math.sqrt(2), rel=1e-9)
    assert round(glued["dir_ne"], 1) == 9.9
    assert glued["dir_max"] == pytest.approx(10.0, rel=1e-9)
    assert glued["dir_grad_norm"] == pytest.approx(10.0, rel=1e-12)
    assert glued["dir_contour"] == pytest.approx(0.0, abs=1e-9)
    assert glued["dir_min"] == pytest.approx(-10.0, rel=1e-9)
    assert glued["dir_ne"] < glued["dir_max"]
    # A non-unit (1, 1) gives ∇f·v = 14, √2 times the slope.
    assert glued["dir_sloppy_rate"] == pytest.approx(14.0, rel=1e-12)
    assert glued["dir_sloppy_ratio"] == pytest.approx(math.sqrt(2), rel=1e-9)
    for shown in ("9.9", "9.8995", "10.0000", "0.0", "-10.0", "14.0"):
        assert shown in page, f"{shown!r} missing from the built directional page"
    assert "ValueError: u must be a unit vector" in page


def test_jacobian_seed_numbers(jacobian):
    glued, page = jacobian
    J = [[glued["jac_J00"], glued["jac_J01"]], [glued["jac_J10"], glued["jac_J11"]]]
    assert J == [[12.0, 4.0], [1.0, 27.0]]
    assert glued["jac_fd_err"] < 1e-6
    assert (glued["jac_layer_rows"], glued["jac_layer_cols"]) == (256, 512)
    assert glued["jac_layer_diff"] == 0.0
    # Reverse mode wins on the wide map, forward mode on the tall one.
    assert glued["jac_wide_ratio"] > 1.0
    assert glued["jac_tall_ratio"] > 1.0
    assert glued["jac_rel_J"] < glued["jac_rel_JT"]
    assert "[[12. 4.] [ 1. 27.]]" in page, "J not printed"
    assert "256 × 512" in page
    assert "Jacobian shape: (256, 512)" in page
    assert "x.grad after y.backward([1, 0]): [12. 4.]" in page


def test_hessian_seed_numbers(hessian):
    glued, page = hessian
    assert (glued["hess_saddle_lmin"], glued["hess_saddle_lmax"]) == (-2.0, 2.0)
    assert (glued["hess_bowl_l1"], glued["hess_bowl_l2"]) == (2.0, 2.0)
    assert glued["hess_saddle_kind"] == "saddle"
    assert glued["hess_bowl_kind"] == "minimum"
    assert glued["hess_dome_kind"] == "maximum"
    # Minima among random symmetric matrices collapse with the dimension.
    assert glued["hess_frac_1"] == pytest.approx(0.5, abs=0.02)
    assert glued["hess_frac_1"] > glued["hess_frac_3"] > glued["hess_frac_10"]
    assert glued["hess_frac_10"] == 0.0
    # Newton lands on the quadratic's minimum in one step; gradient descent needs many.
    assert glued["hess_newton_dist"] < 1e-12
    assert glued["hess_gd_steps"] > 10
    assert glued["hess_hvp_speedup"] > 1.0
    for shown in ("+2 and -2", "+2 and +2", "saddle", "minimum"):
        assert shown in page, f"{shown!r} missing from the built Hessian page"
    assert "eigenvalues = [-2.0, 2.0] -> saddle" in page
    assert "eigenvalues = [2.0, 2.0] -> minimum" in page


def test_landscape_numbers_and_learning_rate_explorable(landscape):
    glued, raw_html = landscape
    assert glued["land_final_loss"] < glued["land_first_loss"]
    assert glued["land_accuracy"] > 80
    # The learning-rate limit 2 / L''(x*) separates the good rate (0.3) from the bad (0.7).
    assert glued["land_lr_limit"] == pytest.approx(2.0 / glued["land_curvature"], rel=1e-12)
    assert 0.3 < glued["land_lr_limit"] < 0.7
    assert glued["land_cycle_a"] != pytest.approx(glued["land_cycle_b"], abs=1e-3)
    # Filter normalisation does not see a rescaling that leaves the function unchanged.
    assert glued["land_fn_gap"] < 1e-10
    assert glued["land_raw_gap"] > 1.0
    assert glued["land_2d_min"] == glued["land_2d_centre"]
    # The learning-rate explorable replaced the inlined animation (1.1 MB of frames).
    assert 'data-explorable="landscape-lr"' in raw_html
    assert 'alt="Two panels of the toy loss curve' in raw_html
    assert "_anim_img" not in raw_html
    assert "data:image/png;base64" not in raw_html
