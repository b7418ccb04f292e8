"""Newton steps against gradient descent on quadratics, and the learning-rate limit."""

from __future__ import annotations

import numpy as np
import pytest

import slopebook as sb
from slopebook import autodiff, landscapes


def _spd(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    return A @ A.T + n * np.eye(n)


@pytest.mark.parametrize("seed", range(5))
def test_one_newton_step_solves_a_quadratic(seed):
    n = 6
    A = _spd(n, seed)
    b = np.random.default_rng(seed + 100).standard_normal(n)
    w0 = np.random.default_rng(seed + 200).standard_normal(n)
    grad = A @ w0 - b  # gradient of ½ wᵀAw − bᵀw
    w1 = sb.newton_step(w0, grad, A)
    np.testing.assert_allclose(w1, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)


def test_newton_with_autograd_hessian_on_the_stretched_bowl():
    quad = lambda p: 0.5 * p[0] ** 2 + 5.0 * p[1] ** 2
    w0 = np.array([-2.5, 1.0])
    w1 = sb.newton_step(w0, autodiff.grad(quad, w0), autodiff.hessian(quad, w0))
    np.testing.assert_allclose(w1, [0.0, 0.0], atol=1e-15)


def test_gradient_descent_needs_many_steps_where_newton_needs_one():
    grad = lambda p: np.array([p[0], 10.0 * p[1]])
    path = sb.gradient_descent(grad, [-2.5, 1.0], lr=2.0 / 11.0, steps=200)
    dist = np.linalg.norm(path, axis=1)
    first = int(np.argmax(dist < 1e-6))
    assert 10 < first < 200
    # With the best fixed rate the error shrinks by (κ − 1)/(κ + 1) = 9/11 per step.
    np.testing.assert_allclose(dist[1:30] / dist[:29], 9.0 / 11.0, rtol=1e-9)


def test_newton_is_attracted_to_a_saddle_where_descent_escapes():
    w = np.array([1.0, 0.5])
    to_saddle = sb.newton_step(w, landscapes.saddle_gradient(w), landscapes.saddle_hessian())
    np.testing.assert_allclose(to_saddle, [0.0, 0.0], atol=0)
    escape = sb.gradient_descent(landscapes.saddle_gradient, w, lr=0.1, steps=10)[-1]
    assert abs(escape[1]) > 3 * abs(w[1])


def test_learning_rate_limit_on_the_toy_loss():
    """Descent converges below lr = 2 / L''(x*) and cannot settle above it."""
    path = sb.gradient_descent(landscapes.toy_loss_derivative, 2.5, lr=0.3, steps=200)
    x_star = path[-1]
    assert abs(landscapes.toy_loss_derivative(x_star)) < 1e-12
    limit = 2.0 / (1.0 - 2.7 * np.sin(3.0 * x_star))
    below = sb.gradient_descent(landscapes.toy_loss_derivative, 2.5, lr=0.95 * limit, steps=2000)
    above = sb.gradient_descent(landscapes.toy_loss_derivative, 2.5, lr=1.05 * limit, steps=2000)
    assert below[-1] == pytest.approx(x_star, abs=1e-9)
    assert abs(above[-1] - x_star) > 1e-2


@pytest.mark.parametrize(
    ("w", "g", "H", "match"),
    [
        ([1.0, 2.0], [1.0, 1.0], [[1.0, 1.0], [1.0, 1.0]], "singular"),
        ([1.0, 2.0], [1.0], np.eye(2), "shape"),
        ([1.0, 2.0], [1.0, 1.0], np.eye(3), "shape"),
        ([1.0, np.inf], [1.0, 1.0], np.eye(2), "finite"),
    ],
)
def test_newton_refuses_bad_input(w, g, H, match):
    with pytest.raises(ValueError, match=match):
        sb.newton_step(w, g, H)
