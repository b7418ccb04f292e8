"""The seed's numbers in the rules, partial and gradient chapters, as the built book states them.

Each value is read back from the executed notebook (``glue``), compared with the seed's
number *and* with an independent closed form computed here, and checked to appear on the
built HTML page. A wrong routine in slopebook therefore fails these tests after a build.
Without a built book they skip (``nox -s docs`` first).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest


def _shows(ch, *texts: str) -> None:
    missing = [t for t in texts if t not in ch.pasted]
    assert not missing, f"{ch.name}.html does not show {missing}; it shows {ch.pasted}"


# -- the slope: x² at 1 and at 3, sin on [-π, π] -----------------------------------------


def test_slope_secants_and_zoom(chapter):
    ch = chapter("slope")
    g = ch.glued
    assert g["secant_h1"] == 3.0  # (f(1 + h) − f(1)) / h = 2 + h
    assert g["secant_small"] == pytest.approx(2 + g["secant_small_h"], abs=1e-12)
    assert g["zoom_ratio_wide"] == pytest.approx(1.0, abs=1e-3)  # gap h² over half-width h
    assert g["zoom_ratio_narrow"] == pytest.approx(0.01, rel=1e-2)
    assert [g["slope_at_three"], g["slope_at_zero"]] == pytest.approx([6.0, 0.0], abs=1e-9)
    assert g["slope_at_minus_two"] == pytest.approx(-4.0, abs=1e-9)
    _shows(ch, "6", "0", "-4")


def test_slope_round_off_and_sin_three_ways(chapter):
    g = chapter("slope").glued
    eps = np.finfo(float).eps
    assert g["eps"] == eps
    assert g["forward_error"] == pytest.approx(1e-7, rel=0.2)  # truncation: exactly h for x²
    assert g["forward_error_tiny"] > 100 * g["forward_error"]  # h = 1e-12: round-off wins
    assert g["central_error"] < 1e-9
    assert g["sin_err_autograd"] < 4 * eps
    assert g["sin_err_finite"] == pytest.approx(1e-8 / 6, rel=1e-3)  # h²/6 at |cos x| = 1
    assert g["forward_best_h"] == pytest.approx(1e-8, rel=4)
    assert g["central_best_h"] == pytest.approx(eps ** (1 / 3), rel=4)
    assert g["central_best_err"] < g["forward_best_err"]
    assert (g["sqrt_eps"], g["cbrt_eps"]) == (eps**0.5, eps ** (1 / 3))
    # x² at a = 3, h = 1e-7: the round-off beyond ±h is of the order ε|f(a)|/h (each of the
    # two values is off by at most ε/2 of itself, divided by h), and not zero.
    assert g["backward_roundoff_scale"] == pytest.approx(eps * 9 / 1e-7, rel=1e-12)
    assert 0 < g["backward_roundoff"] <= g["backward_roundoff_scale"]


# -- the notation page and the accuracy appendix -----------------------------------------


def test_notation_checks(chapter):
    g = chapter("notation").glued
    assert (g["notation_J_rows"], g["notation_J_cols"]) == (2, 3)  # m × n: rows are outputs
    assert g["notation_grad_gap"] < 1e-12  # ∇f = Jᵀ for a scalar f
    assert g["notation_dv_gap"] < 1e-8  # D_v f = ∇f·v for a non-unit v
    assert g["notation_mixed_gap"] < 1e-12  # smooth: the mixed partials agree
    assert g["notation_g_xy"] == pytest.approx(-1.0, abs=1e-6)  # not C²: they do not
    assert g["notation_g_yx"] == pytest.approx(1.0, abs=1e-6)


def test_accuracy_domain_edge_and_best_step(chapter):
    g = chapter("appendix/accuracy").glued
    eps = np.finfo(float).eps
    # log at 1e-7: the default forward step 1.5e-8 is 15 % of x; log(1.149)/0.149 − 1.
    h = math.sqrt(eps)
    assert g["acc_edge_forward_pct"] == pytest.approx(
        100 * (1 - math.log1p(h / 1e-7) / (h / 1e-7))
    )
    assert 5 < g["acc_edge_forward_pct"] < 8
    assert g["acc_edge_scaled"] < 1e-7
    assert g["acc_edge_central"] < 1e-9
    # exp at 1: predicted h* = 2√ε; the measured best step is 30× smaller, and the
    # reconciliation (a smaller round-off constant, one lucky step) brings it within 4×.
    assert g["acc_exp_hstar"] == 2 * math.sqrt(eps)
    assert g["acc_exp_ratio"] == pytest.approx(g["acc_exp_hstar"] / g["acc_exp_best_h"])
    assert g["acc_exp_ratio"] > 10
    assert g["acc_exp_c"] < 1
    assert g["acc_exp_hstar_c"] == pytest.approx(2 * math.sqrt(g["acc_exp_c"] * eps))
    assert g["acc_exp_lucky"] < g["acc_exp_c"]
    assert g["acc_exp_hstar"] / 5 < g["acc_exp_best_h_many"] < g["acc_exp_hstar"]


# -- partial derivatives: f(x, y) = x²y + 3y at (2, 5) -----------------------------------


def test_partial_seed_numbers(chapter):
    ch = chapter("partial")
    g = ch.glued
    x, y = 2.0, 5.0
    assert g["dfdx_hand"] == 20.0 == 2 * x * y
    assert g["dfdy_hand"] == 7.0 == x**2 + 3
    assert g["dfdx_backward"] == 20.0
    assert g["dfdy_backward"] == 7.0
    assert g["dfdx_finite"] == pytest.approx(20.0, abs=1e-8)
    assert g["dfdy_finite"] == pytest.approx(7.0, abs=1e-8)
    assert g["f_at_point"] == x**2 * y + 3 * y
    _shows(ch, "20", "7")


def test_partial_one_partial_per_weight(chapter):
    g = chapter("partial").glued
    sizes = (2, 16, 16, 1)
    expected = sum(a * b + b for a, b in itertools.pairwise(sizes))
    assert g["n_params"] == g["n_partials"] == expected
    assert g["nudge_gap"] < 1e-8 * max(1.0, abs(g["backprop_value"]))
    assert g["nudge_value"] == pytest.approx(g["backprop_value"], abs=1e-8)


# -- the gradient: the bowl x² + y² at (3, 4) -------------------------------------------


def test_gradient_seed_numbers(chapter):
    ch = chapter("gradient")
    g = ch.glued
    w = np.array([3.0, 4.0])
    assert [g["grad_x"], g["grad_y"]] == [6.0, 8.0] == (2 * w).tolist()
    assert g["grad_norm"] == 10.0 == math.hypot(6.0, 8.0)
    assert g["lr"] == 0.01
    np.testing.assert_allclose([g["w_new_x"], g["w_new_y"]], [2.94, 3.92], rtol=1e-15)
    np.testing.assert_allclose([g["w_new_x"], g["w_new_y"]], w - 0.01 * 2 * w, rtol=1e-15)
    assert g["loss_start"] == 25.0
    assert g["loss_after"] == pytest.approx(2.94**2 + 3.92**2, rel=1e-14)
    _shows(ch, "6", "8", "10", "2.94", "3.92", "25")


def test_gradient_is_the_steepest_direction(chapter):
    g = chapter("gradient").glued
    assert g["slope_along"] == pytest.approx(10.0, abs=1e-8)
    assert g["slope_ne"] == pytest.approx(14 / math.sqrt(2), abs=1e-8)  # seed: "≈ 9.9"
    assert g["slope_ne"] < g["slope_along"]
    assert g["slope_contour"] < 1e-8


def test_gradient_toy_loss_and_cost(chapter):
    g = chapter("gradient").glued
    x = g["toy_minimum"]
    assert g["toy_n_critical"] == 1
    assert 0.9 * math.cos(3 * x) + x == pytest.approx(0.0, abs=1e-11)  # L'(x) = 0
    assert g["toy_min_value"] == pytest.approx(0.3 * math.sin(3 * x) + 0.5 * x**2, abs=1e-15)
    assert g["toy_min_curvature"] == pytest.approx(1 - 2.7, abs=1e-3)  # min of 1 − 2.7 sin 3x
    assert g["toy_spread"] < 1e-8
    assert g["rb_finite_calls"] == 2 * g["rb_n"] + 1
    assert g["rb_autograd_calls"] == 1
    assert g["rb_gap"] < 1e-8


def test_gradient_partials_are_not_enough(chapter):
    # f = x²y/(x²+y²), f(0) = 0: both partials 0 at the origin, yet D_u f(0) = u₁²u₂.
    g = chapter("gradient").glued
    assert g["nd_partial_max"] == 0.0
    assert g["nd_slope_45"] == pytest.approx(0.5 / math.sqrt(2), abs=1e-12)
    assert g["nd_worst_gap"] < 1e-12


def test_gradient_tangent_arrows_point_downhill_where_the_slope_is_negative(chapter):
    g = chapter("gradient").glued
    xs = np.linspace(-3, 3, 25)
    assert g["toy_n_samples"] == xs.size
    assert g["toy_n_downhill"] == int(np.sum(0.9 * np.cos(3 * xs) + xs < 0))
    assert g["toy_max_curvature"] == pytest.approx(1 + 2.7, abs=1e-3)  # max of 1 − 2.7 sin 3x
    assert g["toy_lr_limit"] > 0.1  # the rate the chapter uses is below 2 / max L''


# -- derivative rules --------------------------------------------------------------------


def test_rules_seed_numbers(chapter):
    ch = chapter("rules")
    g = ch.glued
    assert g["sigmoid_max_slope"] == 0.25
    assert g["sigmoid_argmax"] == 0.0
    assert g["sigmoid_slope_at_0_autograd"] == 0.25
    assert g["tanh_max_slope"] == 1.0
    assert g["mse_rule"] == -4.0 == -2 * (3.0 - 1.0)  # dL/dŷ = −2(y − ŷ), y = 3, ŷ = 1
    assert g["mse_ad"] == -4.0
    assert g["mse_fd"] == pytest.approx(-4.0, abs=1e-8)
    _shows(ch, "0.25", "-4")


def test_rules_all_checks_agree(chapter):
    g = chapter("rules").glued
    assert g["rules_count"] >= 10
    assert g["rules_worst_finite"] < 1e-8
    assert g["rules_worst_autograd"] < 1e-13
    for c in ("1", "3", "0"):
        assert g[f"own_derivative_gap_{c}"] < 1e-14
    assert g["chain_by_hand"] == pytest.approx(g["chain_backward"], rel=1e-14)
    w, x, t = 0.8, 1.5, 1.0
    s = 1 / (1 + math.exp(-w * x))
    assert g["chain_backward"] == pytest.approx(-2 * (t - s) * s * (1 - s) * x, rel=1e-13)


def test_rules_vanishing_and_exploding(chapter):
    g = chapter("rules").glued
    depth = g["depth"]
    assert depth >= 10
    # One neuron per layer, h_k = φ(w h_{k−1}) from h_0 = 0.5: the chain rule's product.
    assert g["chain_autograd_gap"] < 1e-12
    assert g["sigmoid_input_grad"] < 0.25**depth  # w = 1: every factor σ'(h) < 1/4
    assert g["sigmoid_factor"] < 0.25
    assert g["sigmoid_factor"] == pytest.approx(g["sigmoid_input_grad"] ** (1 / depth))
    h, product = 0.5, 1.0
    for _ in range(depth):
        s = 1 / (1 + math.exp(-h))
        product *= s * (1 - s)
        h = s
    assert g["sigmoid_input_grad"] == pytest.approx(product, rel=1e-10)
    h, product = 0.5, 1.0
    for _ in range(depth):
        product *= 1 - math.tanh(h) ** 2
        h = math.tanh(h)
    assert g["tanh_input_grad"] == pytest.approx(product, rel=1e-10)
    assert g["relu_steady_input_grad"] == 1.0  # ReLU, w = 1: each active factor is w
    assert g["relu_big_input_grad"] > 100
    assert g["relu_big_input_grad"] == pytest.approx(1.3**depth, rel=1e-12)
    # A sigmoid layer's factor is at most ‖W‖₂/4, and ‖W‖₂ ≈ 2 at std 1/√n.
    for n in (64, 256, 1024):
        assert 1.8 < g[f"spectral_norm_{n}"] < 2.1
    assert (g["relu_left"], g["relu_right"], g["relu_torch"]) == (0.0, 1.0, 0.0)
    assert g["relu_central"] == 0.5
