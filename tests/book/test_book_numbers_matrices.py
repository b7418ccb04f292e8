"""The worked numbers for directional derivatives, Jacobians, Hessians and the landscape.

Each chapter glues its numbers with myst-nb; ``tests/book.py`` (the ``chapter`` fixture)
reads the glued values back from the executed notebooks (``<chapter>.glue.json`` with
myst-nb 1.4, whose outputs carry the ``"scrapbook"`` metadata key). These tests compare
them with the worked numbers and with independent closed forms, and check that the built
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
    # The slope along a unit u is cos(angle to ∇f) times the largest slope, |∇f| (the slopes
    # are finite differences, good to the 1e-9 checked above; the cosine is exact).
    assert glued["dir_ne_cos"] == pytest.approx(0.7 * math.sqrt(2), rel=1e-15)
    assert glued["dir_ne_cos"] == pytest.approx(glued["dir_ne"] / glued["dir_max"], rel=1e-9)
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


def test_directional_descent_directions(directional):
    glued, _ = directional
    # North-east is 45°, the gradient (6, 8) points at atan2(8, 6) ≈ 53.13°.
    assert glued["dir_ne_angle"] == pytest.approx(math.degrees(math.atan2(8, 6)) - 45, rel=1e-9)
    assert glued["dir_ne"] == pytest.approx(10 * math.cos(math.radians(glued["dir_ne_angle"])))
    # Momentum and Adam take steps that set off uphill: neither enforces ∇f·Δw < 0.
    assert 0 < glued["dir_uphill_momentum"] < 50
    assert 0 < glued["dir_uphill_adam"] < 50


def test_jacobian_linearisation_error_is_second_order(jacobian):
    glued, _ = jacobian
    # Relative error of J δ shrinks like ‖δ‖: δ / 10 gives about a tenth.
    ratio = glued["jac_rel_J"] / glued["jac_rel_J_small"]
    assert 8 < ratio < 12


def test_hessian_newton_lbfgs_gradient_descent_race(hessian):
    glued, page = hessian
    g = glued
    # Newton: one gradient and one Hessian per step, and few steps (6 from (-1.2, 1)).
    assert (
        g["hess_race_newton_steps"]
        == g["hess_race_newton_gradients"]
        == g["hess_race_newton_hessians"]
    )
    assert g["hess_race_newton_steps"] <= 10
    # L-BFGS: no Hessian; its line search evaluates f and ∇f together, at least once a step.
    assert g["hess_race_lbfgs_hessians"] == 0 == g["hess_race_gd_hessians"]
    assert g["hess_race_lbfgs_f"] == g["hess_race_lbfgs_gradients"] >= g["hess_race_lbfgs_steps"]
    # Fewest steps for Newton, then L-BFGS, then (by orders of magnitude) gradient descent.
    assert g["hess_race_newton_steps"] < g["hess_race_lbfgs_steps"] < g["hess_race_gd_steps"]
    assert g["hess_race_gd_gradients"] > 100 * g["hess_race_lbfgs_gradients"]
    # The stretched bowl: lr = 2/11 gives factors ∓9/11, and (9/11)^k ‖w0‖ < 1e-6 predicts 74.
    assert g["hess_gd_factor_steep"] == pytest.approx(-9 / 11, rel=1e-12)
    assert g["hess_gd_factor_flat"] == pytest.approx(9 / 11, rel=1e-12)
    k = math.ceil(math.log(math.hypot(2.5, 1.0) / 1e-6) / math.log(11 / 9))
    assert g["hess_gd_predicted"] == k == g["hess_gd_steps"]
    for shown in (str(g["hess_race_lbfgs_steps"]), str(g["hess_race_gd_gradients"])):
        assert shown in page


def test_landscape_training_loop_and_stochastic_gradients(landscape):
    glued, _ = landscape
    g = glued
    # ∂L/∂z = (σ(z) − y)/N: autograd and the formula agree to rounding.
    assert g["land_bce_gap"] < 1e-15
    # Same initial weights, same 100 epochs: mini-batch Adam ends lowest, taking 10 steps an epoch.
    assert g["land_adam_mb_steps"] == 10 * g["land_epochs"]
    assert g["land_adam_mb_final"] < min(g["land_adam_full_final"], g["land_gd_final"])
    assert g["land_adam_full_final"] == pytest.approx(g["land_gd_final"], rel=0.25)
    assert g["land_mb_rises"] > 0  # the full loss is not monotone under noisy steps
    assert g["land_full_adam_rises"] == 0  # the same optimiser on exact gradients is
    # Batch gradients of one shuffled epoch average to the full gradient exactly; each is noisy.
    assert g["land_sgd_mean_gap"] < 1e-12
    assert 0.1 < g["land_sgd_noise_min"] <= g["land_sgd_noise_max"]


def test_landscape_slice_is_not_a_minimum(landscape):
    glued, _ = landscape
    g = glued
    # The trained point has a small, non-zero gradient, and more descent halves the loss.
    assert 0.001 < g["land_grad_norm"] < 0.05
    assert g["land_longer_loss"] < 0.6 * g["land_2d_centre"]
    # The random plane is nearly perpendicular to ∇L, so its slope there is tiny ...
    for key in ("land_angle_d1", "land_angle_d2"):
        assert abs(g[key] - 90) < 10
    assert g["land_slope_d1"] < 0  # d1 is more than 90° from ∇L, so L falls along it
    assert g["land_grid_step"] == pytest.approx(1 / 12)
    # ... and one grid step's first-order gain is far smaller than the curvature's rise.
    assert g["land_first_order_drop"] == pytest.approx(abs(g["land_slope_d1"]) / 12, rel=1e-9)
    assert g["land_first_order_drop"] < g["land_neighbour_min"] - g["land_2d_centre"]
    # Not every training point is classified correctly (the no-minimiser argument needs all).
    assert g["land_train_accuracy"] < 100
    # ∂L/∂α = d1·∇L: a small cosine times the long filter-normalised d1 (the weights' norm).
    steepest = g["land_d1_norm"] * g["land_grad_norm"]
    assert g["land_d1_steepest"] == pytest.approx(steepest, rel=1e-12)
    assert g["land_d1_cos"] == pytest.approx(abs(math.cos(math.radians(g["land_angle_d1"]))))
    assert g["land_d1_norm"] > 1


def test_landscape_filter_normalisation_and_its_limit(landscape):
    g, _ = landscape
    # Only the weights move; the 16-unit network's 17 biases stay (16 hidden, 1 output).
    assert g["land_n_biases"] == 17
    assert g["land_n_moved"] > g["land_n_biases"]
    # A per-unit rescaling keeps the function but moves the filter-normalised slice.
    assert g["land_unit_gap"] > 0.1


def test_landscape_sharpness_against_learning_rate(landscape):
    g, _ = landscape
    # Power iteration with Hessian-vector products: 2 / λmax = land_lam_limit, above lr = 0.5.
    assert g["land_lam_limit"] == pytest.approx(2.0 / g["land_lam_max"], rel=1e-12)
    assert g["land_lam_limit"] > 0.5
    assert g["land_history_monotone"] is True
    # Past the limit: at 1.1 × 2/λmax the loss need not rise at once; at 1.5 × it does.
    assert g["land_past15_rises"] > 0
    assert g["land_past15_peak"] > g["land_past15_final"]


def test_hessian_sizes_and_rosenbrock_condition(hessian):
    g, _ = hessian
    assert g["hess_million_grad_mb"] == 8.0  # 10⁶ float64 numbers
    assert g["hess_million_tb"] == 8.0  # 10¹² float64 numbers
    # At (1, 1) the Rosenbrock Hessian is [[802, -400], [-400, 200]].
    tr, det = 1002.0, 802.0 * 200.0 - 400.0**2
    lo, hi = (tr - math.sqrt(tr**2 - 4 * det)) / 2, (tr + math.sqrt(tr**2 - 4 * det)) / 2
    assert g["hess_rosen_cond"] == pytest.approx(hi / lo, rel=1e-9)
