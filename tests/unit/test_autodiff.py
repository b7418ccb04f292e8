"""slopebook.autodiff: float64 autograd results, matrix-free products, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import slopebook as sb
from slopebook import autodiff, landscapes

RNG = np.random.default_rng(20261122)


def layer(W: np.ndarray):
    Wt = torch.tensor(W)
    return lambda x: torch.tanh(Wt @ x)


def test_results_are_float64_numpy():
    g = autodiff.grad(lambda w: (w**2).sum(), [3.0, 4.0])
    assert isinstance(g, np.ndarray)
    assert g.dtype == np.float64


def test_jvp_and_vjp_match_the_full_jacobian_without_building_it():
    W = RNG.standard_normal((3, 5))
    f = layer(W)
    x = RNG.standard_normal(5)
    J = autodiff.jacobian(f, x)
    assert J.shape == (3, 5)  # rows are outputs
    v = RNG.standard_normal(5)
    w = RNG.standard_normal(3)
    np.testing.assert_allclose(autodiff.jvp(f, x, v), J @ v, rtol=1e-12)
    np.testing.assert_allclose(autodiff.vjp(f, x, w), w @ J, rtol=1e-12)
    np.testing.assert_allclose(sb.jacobian(lambda p: np.tanh(W @ p), x), J, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=5))
def test_hvp_equals_hessian_times_vector(p):
    x = np.array(p)
    v = np.linspace(-1, 1, x.size)
    H = autodiff.hessian(landscapes.rosenbrock, x)
    np.testing.assert_allclose(H, H.T)
    np.testing.assert_allclose(autodiff.hvp(landscapes.rosenbrock, x, v), H @ v, atol=1e-9)


def test_gradient_of_unused_input_is_zero():
    np.testing.assert_array_equal(autodiff.grad(lambda w: w[0] * 0 + 1.0, [1.0, 2.0]), [0, 0])


def test_f_must_return_a_tensor():
    with pytest.raises(TypeError, match="torch tensor"):
        autodiff.grad(lambda w: 1.0, [1.0])
    with pytest.raises(TypeError, match="torch tensor"):
        autodiff.jvp(lambda w: np.ones(2), [1.0, 2.0], [1.0, 0.0])


@pytest.mark.parametrize("fn", [autodiff.jvp, autodiff.hvp])
def test_direction_of_wrong_length_is_refused(fn):
    with pytest.raises(ValueError, match="must have 2 components"):
        fn(lambda w: (w**2).sum(), [1.0, 2.0], [1.0, 0.0, 0.0])


def test_cotangent_of_wrong_length_is_refused():
    with pytest.raises(ValueError, match="must have 2 components"):
        autodiff.vjp(lambda w: w * 2, [1.0, 2.0], [1.0])


def test_non_finite_point_and_non_callable():
    with pytest.raises(ValueError, match="must be finite"):
        autodiff.grad(lambda w: w.sum(), [np.nan])
    with pytest.raises(TypeError, match="must be a callable"):
        autodiff.hessian("f", [1.0])


def test_matrix_valued_output_is_refused():
    with pytest.raises(ValueError, match="scalar or a 1-D"):
        autodiff.jacobian(lambda w: torch.outer(w, w), [1.0, 2.0])
