"""The dense layer and the flat-vector MLP: shapes, the Jacobian, autograd, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import slopebook as sb
from slopebook import autodiff
from slopebook.activations import tanh_derivative
from slopebook.layers import dense, flat_mlp, flat_mlp_size, init_dense, init_flat_mlp


def test_dense_jacobian_is_diag_activation_prime_times_w():
    W, b = init_dense(3, 2, seed=4)
    x = np.array([0.3, -1.2, 0.8])
    J = autodiff.jacobian(lambda t: dense(t, W, b), x)
    expected = np.diag(tanh_derivative(W @ x + b)) @ W
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(sb.jacobian(lambda p: dense(p, W, b), x), expected, atol=1e-9)


def test_dense_batch_matches_rows():
    W, b = init_dense(2, 3, seed=1)
    X = np.random.default_rng(0).normal(size=(4, 2))
    batch = dense(X, W, b, activation="sigmoid")
    assert batch.shape == (4, 3)
    for row, x in zip(batch, X, strict=True):
        np.testing.assert_allclose(row, dense(x, W, b, activation="sigmoid"), rtol=1e-15)


def test_init_is_seeded_and_different_across_seeds():
    assert np.array_equal(init_flat_mlp((1, 8, 1), seed=3), init_flat_mlp((1, 8, 1), seed=3))
    assert not np.array_equal(init_flat_mlp((1, 8, 1), seed=3), init_flat_mlp((1, 8, 1), seed=4))


def test_mlp_numpy_and_torch_agree_and_gradient_matches_finite_differences():
    sizes = (2, 5, 3, 1)
    w = init_flat_mlp(sizes, seed=2)
    assert w.shape == (flat_mlp_size(sizes),) == (2 * 5 + 5 + 5 * 3 + 3 + 3 + 1,)
    X = np.random.default_rng(1).normal(size=(6, 2))
    y = np.sin(X[:, :1])
    np.testing.assert_allclose(
        flat_mlp(torch.tensor(w), X, sizes).numpy(), flat_mlp(w, X, sizes), rtol=1e-14
    )

    def loss(v):
        target = torch.as_tensor(y) if isinstance(v, torch.Tensor) else y
        return ((flat_mlp(v, X, sizes) - target) ** 2).mean()

    np.testing.assert_allclose(autodiff.grad(loss, w), sb.gradient(loss, w), atol=1e-8)


def test_identity_mlp_is_affine():
    sizes = (2, 1)
    w = np.array([2.0, -1.0, 0.5])  # W = [[2, -1]], b = [0.5]
    np.testing.assert_allclose(
        flat_mlp(w, np.array([[1.0, 1.0], [0.0, 2.0]]), sizes).ravel(), [1.5, -1.5]
    )


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: init_dense(0, 2, seed=0), ValueError, "positive integer widths"),
        (lambda: init_dense(2, 2, seed=-1), TypeError, "seed"),
        (lambda: init_flat_mlp(5, seed=0), TypeError, "sequence of layer widths"),
        (lambda: dense(np.ones(3), np.ones((2, 2)), np.ones(2)), ValueError, r"x must have"),
        (lambda: dense(np.ones(2), np.ones((2, 2)), np.ones(3)), ValueError, r"W must have"),
        (
            lambda: dense(np.ones(2), np.ones((2, 2)), np.ones(2), "softmax"),
            ValueError,
            "unknown activation",
        ),
        (lambda: flat_mlp(np.ones(4), np.ones((1, 1)), (1, 2, 1)), ValueError, "7 weights"),
        (lambda: flat_mlp(np.ones(7), np.ones(3), (1, 2, 1)), ValueError, r"batch of shape"),
    ],
)
def test_bad_input_is_refused(call, error, match):
    with pytest.raises(error, match=match):
        call()
