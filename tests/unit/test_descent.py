"""Gradient-descent and Newton steps: the seed's numbers, convergence, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import slopebook as sb
from slopebook import landscapes as ls


def test_seed_step_on_the_bowl():
    w = np.array([3.0, 4.0])
    g = sb.autodiff.grad(lambda t: (t**2).sum(), w)
    np.testing.assert_array_equal(g, [6.0, 8.0])
    np.testing.assert_allclose(sb.gradient_descent_step(w, g, lr=0.01), [2.94, 3.92], rtol=1e-15)


def test_step_matches_torch_sgd():
    w = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.01)
    (w**2).sum().backward()
    opt.step()
    ours = sb.gradient_descent_step([3.0, 4.0], ls.bowl_gradient([3.0, 4.0]), lr=0.01)
    np.testing.assert_allclose(ours, w.detach().numpy(), rtol=1e-15)


def test_descent_on_toy_loss_reaches_its_minimum_from_both_sides():
    (minimum,) = ls.critical_points_1d(ls.toy_loss_derivative, -3, 3)
    for start in (-3.0, 3.0):
        path = sb.gradient_descent(ls.toy_loss_derivative, start, lr=0.1, steps=300)
        assert path.shape == (301,)
        assert path[-1] == pytest.approx(minimum, abs=1e-9)


def test_bowl_descent_contracts_geometrically():
    path = sb.gradient_descent(ls.bowl_gradient, [3.0, 4.0], lr=0.01, steps=10)
    np.testing.assert_allclose(path[10], np.array([3.0, 4.0]) * 0.98**10, rtol=1e-13)


def test_too_large_learning_rate_diverges():
    with np.errstate(over="ignore"):
        path = sb.gradient_descent(ls.bowl_gradient, [3.0, 4.0], lr=1.5, steps=40)
    assert np.linalg.norm(path[-1]) > 1e6 * np.linalg.norm(path[0])


def test_newton_is_exact_on_a_quadratic():
    w = np.array([1.0, -2.0])
    H = np.array([[2.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(sb.newton_step(w, ls.elliptic_bowl_gradient(w), H), [0.0, 0.0])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: sb.gradient_descent_step([1.0], [1.0], lr=0), ValueError, "positive"),
        (lambda: sb.gradient_descent_step([1.0], [1.0], lr="fast"), TypeError, "learning rate"),
        (lambda: sb.gradient_descent_step([1.0, 2.0], [1.0], lr=0.1), ValueError, "shape"),
        (lambda: sb.gradient_descent_step([np.nan], [1.0], lr=0.1), ValueError, "finite"),
        (lambda: sb.gradient_descent(None, 1.0, lr=0.1, steps=3), TypeError, "callable"),
        (lambda: sb.gradient_descent(np.cos, 1.0, lr=0.1, steps=-1), ValueError, "steps"),
        (lambda: sb.newton_step([0.0, 0.0], [1.0, 1.0], np.zeros((2, 2))), ValueError, "singular"),
        (lambda: sb.newton_step([0.0, 0.0], [1.0, 1.0], np.eye(3)), ValueError, "shape"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_call_counter_measures_the_cost_of_a_gradient():
    n = 7
    f = sb.CallCounter(ls.rosenbrock)
    sb.gradient(f, np.zeros(n))
    assert f.calls == 2 * n + 1  # two per partial, plus one to learn the output shape
    f.reset()
    sb.gradient(f, np.zeros(n), method="forward")
    assert f.calls == n + 1
    f.reset()
    sb.autodiff.grad(f, np.zeros(n))
    assert f.calls == 1
    with pytest.raises(TypeError, match="callable"):
        sb.CallCounter(3)


def test_descent_plots_draw_the_steps_and_refuse_bad_input():
    import matplotlib.pyplot as plt

    from slopebook.plotting import plot_descent_path, plot_descent_steps_1d

    xs = np.linspace(-3, 3, 7)
    fig, ax = plot_descent_steps_1d(ls.toy_loss, ls.toy_loss_derivative, xs, lr=0.3)
    (arrows,) = ax.collections
    np.testing.assert_allclose(arrows.U, -0.3 * ls.toy_loss_derivative(xs))
    np.testing.assert_array_equal(arrows.V, 0.0)
    plt.close(fig)
    fig, ax = plt.subplots()
    path = sb.gradient_descent(ls.bowl_gradient, [3.0, 4.0], lr=0.1, steps=5)
    plot_descent_path(path, ax=ax)
    np.testing.assert_allclose(ax.lines[0].get_xydata(), path)
    with pytest.raises(ValueError, match="shape"):
        plot_descent_path([1.0, 2.0], ax=ax)
    plt.close(fig)
    with pytest.raises(ValueError, match="lr"):
        plot_descent_steps_1d(np.sin, np.cos, xs, lr=-1)
