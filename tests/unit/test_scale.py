"""Gradients and Hessians at scale: accuracy targets (timings live in benchmarks/)."""

from __future__ import annotations

import numpy as np
import pytest

import slopebook as sb
from slopebook import autodiff, landscapes
from slopebook.landscapes import rosenbrock_columns

SEED = 20


@pytest.fixture(scope="module")
def x1000():
    return np.random.default_rng(SEED).uniform(-1.5, 1.5, 1000)


@pytest.fixture(scope="module")
def x100():
    return np.random.default_rng(SEED + 1).uniform(-1.5, 1.5, 100)


@pytest.mark.parametrize("vectorized", [False, True])
def test_gradient_n1000_within_1e_8_of_max_gradient(x1000, vectorized):
    f = rosenbrock_columns if vectorized else landscapes.rosenbrock
    g = sb.gradient(f, x1000, vectorized=vectorized)
    exact = landscapes.rosenbrock_gradient(x1000)
    assert np.abs(g - exact).max() <= 1e-8 * np.abs(exact).max()


@pytest.mark.parametrize("vectorized", [False, True])
def test_hessian_n100_within_1e_7_of_max_hessian(x100, vectorized):
    f = rosenbrock_columns if vectorized else landscapes.rosenbrock
    H = sb.hessian(f, x100, vectorized=vectorized)
    exact = autodiff.hessian(landscapes.rosenbrock, x100)
    assert np.abs(H - exact).max() <= 1e-7 * np.abs(exact).max()
    assert np.array_equal(H, H.T)


def test_hessian_estimate_n100_bounds_its_error(x100):
    r = sb.hessian_estimate(rosenbrock_columns, x100, vectorized=True)
    exact = autodiff.hessian(landscapes.rosenbrock, x100)
    assert np.all(np.abs(r.value - exact) <= r.error)
    assert np.linalg.norm(r.value - exact, 2) <= r.norm_error
    assert r.nfev == 3 * (100 * 100 + 100 + 1)


@pytest.mark.parametrize("method", sb.METHODS)
def test_vectorized_matches_loop(method):
    x = np.random.default_rng(SEED).uniform(-1, 1, 30)
    loop = sb.gradient(landscapes.rosenbrock, x, method=method)
    vec = sb.gradient(rosenbrock_columns, x, method=method, vectorized=True)
    np.testing.assert_allclose(vec, loop, rtol=1e-6, atol=1e-6)


def test_vectorized_jacobian_rows_are_outputs():
    W = np.random.default_rng(SEED).standard_normal((3, 5))
    J = sb.jacobian(lambda P: W @ P, np.ones(5), vectorized=True)
    assert J.shape == (3, 5)
    np.testing.assert_allclose(J, W, atol=1e-9)


def test_vectorized_f_with_wrong_output_shape_is_refused():
    with pytest.raises(ValueError, match=r"vectorized=True, f must map an \(n, k\) array"):
        sb.gradient(landscapes.rosenbrock, np.zeros(4), vectorized=True)  # sums everything
