"""Landscapes: analytic derivatives vs finite differences vs autograd; critical points."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import slopebook as sb
from slopebook import landscapes as ls

# (f, analytic gradient, finite-difference tolerance). The central difference's error is
# about h²|f'''|/6 with h ≈ 6e-6·max(1, |x|): zero for quadratics, ~1e-9 for the cubic
# mixing board, and up to ~4e-7 for Rosenbrock, whose third derivative reaches 2400|x|.
SURFACES = [
    (ls.bowl, ls.bowl_gradient, 1e-8),
    (ls.saddle, ls.saddle_gradient, 1e-8),
    (ls.elliptic_bowl, ls.elliptic_bowl_gradient, 1e-8),
    (ls.mixing_board, ls.mixing_board_gradient, 1e-8),
    (ls.rosenbrock, ls.rosenbrock_gradient, 1e-6),
]
coords = st.floats(-3, 3)


@settings(max_examples=30, deadline=None)
@given(coords, coords)
@pytest.mark.parametrize(("f", "grad", "tol"), SURFACES)
def test_gradients_three_ways(f, grad, tol, x, y):
    p = np.array([x, y])
    exact = grad(p)
    scale = max(1.0, float(np.abs(exact).max()))
    np.testing.assert_allclose(sb.gradient(f, p), exact, atol=tol * scale)
    np.testing.assert_allclose(sb.autodiff.grad(f, p), exact, atol=1e-12 * scale)


@pytest.mark.parametrize(
    ("f", "hess"), [(ls.bowl, ls.bowl_hessian), (ls.saddle, ls.saddle_hessian)]
)
def test_hessians(f, hess):
    p = np.array([0.7, -1.3])
    np.testing.assert_allclose(sb.hessian(f, p), hess(p), atol=1e-6)
    np.testing.assert_allclose(sb.autodiff.hessian(f, p), hess(p), atol=1e-12)


def test_seed_numbers():
    np.testing.assert_array_equal(ls.bowl_gradient([3.0, 4.0]), [6.0, 8.0])
    np.testing.assert_array_equal(ls.mixing_board_gradient([2.0, 5.0]), [20.0, 7.0])
    np.testing.assert_allclose(sb.autodiff.grad(ls.mixing_board, [2.0, 5.0]), [20.0, 7.0])


def test_gradients_work_on_grids():
    X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3))
    G = ls.elliptic_bowl_gradient(np.array([X, Y]))
    assert G.shape == (2, 3, 4)
    np.testing.assert_allclose(G[0], 2 * X)
    np.testing.assert_allclose(G[1], Y)


def test_toy_loss_derivative_three_ways():
    xs = np.linspace(-3, 3, 41)
    exact = ls.toy_loss_derivative(xs)
    np.testing.assert_allclose(sb.derivative(ls.toy_loss, xs), exact, atol=1e-9)
    np.testing.assert_allclose(sb.autodiff.derivative(ls.toy_loss, xs), exact, atol=1e-14)
    assert isinstance(ls.toy_loss(torch.tensor(1.0)), torch.Tensor)


def test_toy_loss_has_one_minimum_on_the_seed_interval_but_is_not_convex():
    crit = ls.critical_points_1d(ls.toy_loss_derivative, -3.0, 3.0)
    assert crit.shape == (1,)
    assert abs(ls.toy_loss_derivative(crit[0])) < 1e-11
    curvature = sb.derivative(ls.toy_loss_derivative, np.linspace(-3, 3, 601))
    assert curvature[np.argmin(np.abs(np.linspace(-3, 3, 601) - crit[0]))] > 0  # a minimum
    assert curvature.min() < 0  # but not convex


def test_critical_points_finds_all_sign_changes():
    roots = ls.critical_points_1d(np.cos, -5.0, 5.0)
    np.testing.assert_allclose(
        roots, [-3 * np.pi / 2, -np.pi / 2, np.pi / 2, 3 * np.pi / 2], atol=1e-11
    )
    assert ls.critical_points_1d(lambda x: x, -1.0, 1.0).tolist() == [0.0]  # hits a sample
    assert ls.critical_points_1d(np.exp, -1.0, 1.0).size == 0


def test_critical_points_bad_input():
    with pytest.raises(ValueError, match="lo < hi"):
        ls.critical_points_1d(np.cos, 2.0, 1.0)
    with pytest.raises(ValueError, match="n"):
        ls.critical_points_1d(np.cos, 0.0, 1.0, n=1)
    with pytest.raises(TypeError, match="callable"):
        ls.critical_points_1d(None, 0.0, 1.0)
    with pytest.raises(ValueError, match="finite"):
        ls.critical_points_1d(np.cos, 0.0, np.inf)


def test_plot_partial_slices_tangents_have_the_partials_as_slopes():
    import matplotlib.pyplot as plt

    from slopebook.plotting import plot_partial_slices

    point = np.array([2.0, 5.0])
    fig, axes = plot_partial_slices(ls.mixing_board, point, ls.mixing_board_gradient(point))
    for ax, slope in zip(axes, [20.0, 7.0], strict=True):
        t, v = ax.lines[1].get_xdata(), ax.lines[1].get_ydata()
        assert np.polyfit(t, v, 1)[0] == pytest.approx(slope)
    plt.close(fig)
    with pytest.raises(ValueError, match="shape"):
        plot_partial_slices(ls.mixing_board, [1.0, 2.0, 3.0], [1.0, 2.0])
