"""Finite differences against analytic derivatives, torch autograd, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import slopebook as sb
from slopebook import autodiff, landscapes

SMOOTH = [
    (np.sin, np.cos, torch.sin),
    (np.exp, np.exp, torch.exp),
    (np.tanh, lambda x: 1 - np.tanh(x) ** 2, torch.tanh),
    (lambda x: x**3, lambda x: 3 * x**2, lambda x: x**3),
]
# Best relative error each method can reach on these functions (with margin).
TOLERANCE = {"forward": 1e-6, "backward": 1e-6, "central": 1e-9, "complex": 1e-14}


@pytest.mark.parametrize("method", sb.METHODS)
@pytest.mark.parametrize(("f", "df", "tf"), SMOOTH)
def test_derivative_matches_analytic_and_autograd(method, f, df, tf):
    x = np.linspace(-2.0, 2.0, 41)
    exact = df(x)
    scale = np.maximum(1.0, np.abs(exact))
    got = sb.derivative(f, x, method=method)
    assert got.shape == x.shape
    np.testing.assert_array_less(np.abs(got - exact) / scale, TOLERANCE[method])
    np.testing.assert_allclose(autodiff.derivative(tf, x), exact, rtol=1e-14, atol=1e-14)


def test_seed_slopes_of_x_squared():
    np.testing.assert_allclose(
        sb.derivative(lambda x: x**2, [3.0, 0.0, -2.0]), [6.0, 0.0, -4.0], atol=1e-9
    )


def test_scalar_in_scalar_out():
    out = sb.derivative(np.sin, 0.5)
    assert isinstance(out, float)
    assert out == pytest.approx(np.cos(0.5), rel=1e-10)


def test_seed_forward_difference_is_not_the_best():
    forward = abs(sb.derivative(lambda x: x**2, 3.0, method="forward", h=1e-7) - 6)
    central = abs(sb.derivative(lambda x: x**2, 3.0) - 6)
    assert 1e-8 < forward < 1e-6
    assert central < 1e-9


def test_default_steps_follow_theory():
    eps = np.finfo(float).eps
    assert sb.default_step("forward") == pytest.approx(eps**0.5)
    assert sb.default_step("central") == pytest.approx(eps ** (1 / 3))
    assert sb.default_step("second") == pytest.approx(eps**0.25)


@settings(max_examples=60, deadline=None)
@given(st.floats(-50, 50), st.floats(0.1, 3.0))
def test_derivative_of_scaled_sine_property(x, k):
    got = sb.derivative(lambda t: np.sin(k * t), x)
    assert got == pytest.approx(k * np.cos(k * x), abs=1e-8 * max(1, abs(x)) * k)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=2, max_size=6))
def test_rosenbrock_gradient_property(p):
    x = np.array(p)
    exact = landscapes.rosenbrock_gradient(x)
    scale = max(1.0, np.abs(exact).max())
    np.testing.assert_allclose(sb.gradient(landscapes.rosenbrock, x), exact, atol=1e-7 * scale)
    np.testing.assert_allclose(
        sb.gradient(landscapes.rosenbrock, x, method="complex"), exact, atol=1e-12 * scale
    )
    np.testing.assert_allclose(autodiff.grad(landscapes.rosenbrock, x), exact, atol=1e-12 * scale)


def test_seed_partials_and_gradient():
    f = lambda p: p[0] ** 2 * p[1] + 3 * p[1]
    np.testing.assert_allclose(sb.gradient(f, [2.0, 5.0]), [20.0, 7.0], rtol=1e-10)
    np.testing.assert_allclose(autodiff.grad(f, [2.0, 5.0]), [20.0, 7.0])
    np.testing.assert_allclose(sb.gradient(landscapes.bowl, [3.0, 4.0]), [6.0, 8.0], rtol=1e-10)


def test_seed_jacobian_rows_are_outputs():
    def f(p):
        return np.array([p[0] ** 2 * p[1], p[0] + p[1] ** 3])

    def tf(p):
        return torch.stack([p[0] ** 2 * p[1], p[0] + p[1] ** 3])

    expected = np.array([[12.0, 4.0], [1.0, 27.0]])
    np.testing.assert_allclose(sb.jacobian(f, [2.0, 3.0]), expected, rtol=1e-9)
    np.testing.assert_allclose(autodiff.jacobian(tf, [2.0, 3.0]), expected)
    np.testing.assert_allclose(autodiff.jvp(tf, [2.0, 3.0], [1.0, 0.0]), expected[:, 0])
    np.testing.assert_allclose(autodiff.vjp(tf, [2.0, 3.0], [0.0, 1.0]), expected[1, :])


def test_jacobian_of_wide_map_has_shape_m_by_n():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 5))
    J = sb.jacobian(lambda x: W @ x, rng.standard_normal(5))
    assert J.shape == (3, 5)
    np.testing.assert_allclose(J, W, atol=1e-9)
    np.testing.assert_allclose(autodiff.jacobian(lambda x: torch.tensor(W) @ x, np.ones(5)), W)


@pytest.mark.parametrize(
    ("f", "H"),
    [(landscapes.saddle, [[2, 0], [0, -2]]), (landscapes.bowl, [[2, 0], [0, 2]])],
)
def test_seed_hessians(f, H):
    got = sb.hessian(f, [0.3, -0.7])
    np.testing.assert_allclose(got, H, atol=1e-6)
    assert np.array_equal(got, got.T)
    np.testing.assert_allclose(autodiff.hessian(f, [0.3, -0.7]), H)
    np.testing.assert_allclose(autodiff.hvp(f, [0.3, -0.7], [1.0, 2.0]), np.array(H) @ [1, 2])


def test_hessian_of_rosenbrock_matches_autograd():
    x = np.array([0.5, -0.3, 1.2, 0.1])
    exact = autodiff.hessian(landscapes.rosenbrock, x)
    np.testing.assert_allclose(sb.hessian(landscapes.rosenbrock, x), exact, atol=1e-5 * 1200)


def test_seed_directional_derivatives():
    bowl = landscapes.bowl
    ne = np.array([1.0, 1.0]) / np.sqrt(2)
    assert sb.directional_derivative(bowl, [3.0, 4.0], ne) == pytest.approx(14 / np.sqrt(2))
    uphill = np.array([6.0, 8.0]) / 10
    assert sb.directional_derivative(bowl, [3.0, 4.0], uphill) == pytest.approx(10.0)
    along_contour = np.array([-8.0, 6.0]) / 10
    assert sb.directional_derivative(bowl, [3.0, 4.0], along_contour) == pytest.approx(
        0.0, abs=1e-9
    )


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: sb.derivative("sin", 1.0),
        lambda: sb.gradient(None, [1.0]),
        lambda: sb.jacobian(3, [1.0]),
        lambda: sb.hessian([], [1.0]),
        lambda: sb.directional_derivative(1, [1.0], [1.0]),
    ],
)
def test_non_callable_f_is_a_type_error(call):
    with pytest.raises(TypeError, match="must be a callable"):
        call()


@pytest.mark.parametrize("bad", [np.nan, np.inf, [1.0, np.nan], -np.inf])
def test_non_finite_x_is_a_value_error(bad):
    with pytest.raises(ValueError, match="must be finite"):
        sb.derivative(np.sin, bad)
    with pytest.raises(ValueError, match="must be finite"):
        sb.gradient(np.sum, np.atleast_1d(bad))


@pytest.mark.parametrize("x", ["a", [1 + 2j], None, [[1.0], [1.0, 2.0]]])
def test_non_real_x_is_a_type_error(x):
    with pytest.raises(TypeError, match="x must"):
        sb.derivative(np.sin, x)


@pytest.mark.parametrize("h", [0.0, -1e-3, np.nan, np.inf])
def test_bad_step_is_a_value_error(h):
    with pytest.raises(ValueError, match="h must be positive"):
        sb.derivative(np.sin, 1.0, h=h)


def test_unknown_method_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'forward', 'backward', 'central', 'complex'"):
        sb.derivative(np.sin, 1.0, method="centered")


def test_non_scalar_output_is_refused_where_a_scalar_is_needed():
    with pytest.raises(ValueError, match=r"must return a scalar.*use slopebook\.jacobian"):
        sb.gradient(lambda p: p * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="must return a scalar"):
        sb.hessian(lambda p: p * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="one output per input"):
        sb.derivative(lambda x: np.sum(x), [1.0, 2.0])
    with pytest.raises(ValueError, match="must return a scalar"):
        autodiff.grad(lambda p: p * 2, [1.0, 2.0])


def test_output_that_changes_shape_between_points_is_named():
    def moody(p):  # a vector of length 2 at x, of length 3 once p[1] moves
        return np.ones(2) if p[1] == 2.0 else np.ones(3)

    with pytest.raises(ValueError, match=r"same shape at every point.*\(2,\)"):
        sb.jacobian(moody, [1.0, 2.0])
    with pytest.raises(TypeError, match="must return numbers"):
        sb.gradient(lambda p: "high" if p[0] > 1 else "low", [1.0, 2.0])
    with pytest.raises(TypeError, match="real numbers for real input"):
        sb.gradient(lambda p: p[0] + 1j * p[1], [1.0, 2.0])


def test_every_point_is_a_fresh_array_that_f_may_keep():
    seen = []
    sb.gradient(lambda p: seen.append(p) or float(p @ p), [1.0, 2.0])
    moved = [tuple(np.flatnonzero(q != [1.0, 2.0])) for q in seen[1:]]
    assert moved == [(0,), (1,), (0,), (1,)]


@pytest.mark.parametrize(
    ("u", "match"),
    [
        ([1.0, 0.0, 0.0], "same shape as x"),
        ([0.0, 0.0], "zero vector"),
        ([], "at least one component"),
        ([1.0, 1.0], "unit vector"),
    ],
)
def test_bad_direction_is_a_value_error(u, match):
    with pytest.raises(ValueError, match=match):
        sb.directional_derivative(landscapes.bowl, [3.0, 4.0], u)


def test_x_must_be_a_vector_for_gradient():
    with pytest.raises(ValueError, match="1-D vector"):
        sb.gradient(np.sum, np.ones((2, 2)))
