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
