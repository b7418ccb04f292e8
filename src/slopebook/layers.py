"""Small neural-network layers with reproducible random weights (argument ``seed``).

A dense layer, and a network that keeps its weights in one flat vector.

A dense layer maps ``x`` (shape ``(n,)`` or a batch ``(N, n)``) to
``activation(x Wᵀ + b)`` with ``W`` of shape ``(m, n)``: rows are outputs, like the
Jacobian. Its Jacobian with respect to ``x`` is ``diag(activation'(z)) W`` (for a
single ``x``, where the activation is differentiable at ``z = W x + b``).

:func:`flat_mlp` is a multilayer perceptron that keeps **all** its weights in one flat
vector ``w``, so that the loss is an ordinary function ``L(w)`` of ``R^P -> R``: the
routines of
``slopebook.autodiff`` (:func:`~slopebook.autodiff.grad`) and of :mod:`slopebook.descent`
apply to it unchanged, and a loss-landscape slice is just ``L(w + t d)``. (For a network
as a ``torch.nn.Module``, with its weights inside the layers, see
:func:`slopebook.deepnets.mlp`.)

Every function accepts numpy arrays or torch tensors (torch in, torch out).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slopebook._backend import is_tensor, xp
from slopebook._validation import integer, is_integer, one_of
from slopebook.activations import ACTIVATIONS

__all__ = ["dense", "flat_mlp", "flat_mlp_size", "init_dense", "init_flat_mlp"]

# The activations of slopebook.activations by name, and "identity" (z unchanged).
_NAMES: tuple[str, ...] = (*ACTIVATIONS, "identity")


def _check_activation(activation: Any) -> str:
    return one_of(activation, _NAMES, "activation")


def _check_sizes(sizes: Any) -> tuple[int, ...]:
    try:
        out = tuple(sizes)
    except TypeError as err:
        msg = f"sizes must be a sequence of layer widths such as (1, 16, 1), got {sizes!r}"
        raise TypeError(msg) from err
    if len(out) < 2 or not all(is_integer(s) and s >= 1 for s in out):
        msg = (
            "sizes must list at least two positive integer widths (inputs, ..., outputs), "
            f"got {sizes!r}"
        )
        raise ValueError(msg)
    return tuple(int(s) for s in out)


def _check_seed(seed: Any) -> int:
    """Randomness is always seeded: ``seed`` is an integer >= 0 (a ``TypeError`` if not)."""
    return integer(seed, "seed", minimum=0, error=TypeError)


def _like(a: Any, x: Any) -> Any:
    """``a`` as a float64 tensor when ``x`` is a tensor, else as a numpy array."""
    if is_tensor(x):
        return xp(x).as_tensor(a, dtype=x.dtype)
    return np.asarray(a, dtype=np.float64)


def _activate(z: Any, activation: str) -> Any:
    if activation == "identity":
        return z
    function, _ = ACTIVATIONS[activation]
    return function(z)


def init_dense(n_in: int, n_out: int, *, seed: int) -> tuple[NDArray, NDArray]:
    """Reproducible random weights ``W``, shape ``(n_out, n_in)``, and bias ``b``, ``(n_out,)``.

    Entries are uniform in ``±1/sqrt(n_in)``, the scale that keeps ``W x`` of order one
    for inputs of order one (PyTorch's default for ``nn.Linear``).

    Examples
    --------
    >>> W, b = init_dense(3, 2, seed=0)
    >>> W.shape, b.shape
    ((2, 3), (2,))
    >>> bool(np.all(np.abs(W) <= 1 / np.sqrt(3)))
    True
    """
    n_in, n_out = _check_sizes((n_in, n_out))
    rng = np.random.default_rng(_check_seed(seed))
    bound = 1.0 / np.sqrt(n_in)
    W = rng.uniform(-bound, bound, size=(n_out, n_in))
    b = rng.uniform(-bound, bound, size=n_out)
    return W, b


def dense(x: Any, W: Any, b: Any, activation: str = "tanh") -> Any:
    """One dense layer ``activation(x Wᵀ + b)`` for one input ``(n,)`` or a batch ``(N, n)``.

    Parameters
    ----------
    x : array_like or torch.Tensor, shape (n,) or (N, n)
        The input(s). A tensor input gives a tensor output (so autograd flows through).
    W : array_like, shape (m, n)
        Weights: row ``i`` feeds output ``i``.
    b : array_like, shape (m,)
        Bias.
    activation : {"tanh", "sigmoid", "relu", "identity"}, default "tanh"

    Returns
    -------
    ndarray or torch.Tensor, shape (m,) or (N, m)

    Examples
    --------
    >>> dense(np.array([1.0, 2.0]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
    ...       np.zeros(3), activation="identity")
    array([1., 2., 3.])
    """
    activation = _check_activation(activation)
    if not is_tensor(x):
        x = np.asarray(x, dtype=np.float64)
    Wa, ba = _like(W, x), _like(b, x)
    if Wa.ndim != 2 or ba.shape != (Wa.shape[0],):
        msg = (
            f"W must have shape (m, n) and b shape (m,), got {tuple(Wa.shape)} and "
            f"{tuple(ba.shape)}"
        )
        raise ValueError(msg)
    if x.shape[-1:] != (Wa.shape[1],) or x.ndim > 2:
        msg = f"x must have shape ({Wa.shape[1]},) or (N, {Wa.shape[1]}), got {tuple(x.shape)}"
        raise ValueError(msg)
    return _activate(x @ Wa.T + ba, activation)


def flat_mlp_size(sizes: Sequence[int]) -> int:
    """Number of weights and biases of an MLP with layer widths ``sizes``.

    Examples
    --------
    A 1-16-1 network has 16 + 16 weights and biases in the hidden layer and 16 + 1 in the
    output layer:

    >>> flat_mlp_size((1, 16, 1))
    49
    """
    s = _check_sizes(sizes)
    return sum(n_out * n_in + n_out for n_in, n_out in pairwise(s))


def init_flat_mlp(sizes: Sequence[int], *, seed: int) -> NDArray[np.float64]:
    """Reproducible random flat weights for :func:`flat_mlp` (layers as in :func:`init_dense`).

    Examples
    --------
    >>> w = init_flat_mlp((1, 16, 1), seed=0)
    >>> w.shape
    (49,)
    >>> bool(np.all(w == init_flat_mlp((1, 16, 1), seed=0)))  # same seed, same weights
    True
    """
    s = _check_sizes(sizes)
    seed = _check_seed(seed)
    parts = []
    for k, (n_in, n_out) in enumerate(pairwise(s)):
        W, b = init_dense(n_in, n_out, seed=seed + 1000 * k)
        parts += [W.ravel(), b]
    return np.concatenate(parts)


def flat_mlp(w: Any, x: Any, sizes: Sequence[int], activation: str = "tanh") -> Any:
    """Evaluate an MLP whose weights are the flat vector ``w``; the last layer is linear.

    Parameters
    ----------
    w : array_like or torch.Tensor, shape (P,)
        All weights and biases, layer by layer (``W`` row by row, then ``b``), with
        ``P = flat_mlp_size(sizes)``. Pass a tensor to differentiate with respect to it.
    x : array_like or torch.Tensor, shape (N, sizes[0])
        A batch of inputs.
    sizes : sequence of int
        Layer widths, inputs first: ``(1, 16, 1)`` is one hidden layer of 16 units.
    activation : {"tanh", "sigmoid", "relu", "identity"}, default "tanh"
        Activation of the hidden layers.

    Returns
    -------
    ndarray or torch.Tensor, shape (N, sizes[-1])
        A tensor if ``w`` or ``x`` is a tensor.

    Examples
    --------
    >>> w = init_flat_mlp((2, 4, 1), seed=1)
    >>> flat_mlp(w, np.zeros((5, 2)), (2, 4, 1)).shape
    (5, 1)
    >>> import torch
    >>> out = flat_mlp(torch.tensor(w), np.zeros((5, 2)), (2, 4, 1))
    >>> type(out).__name__, out.dtype
    ('Tensor', torch.float64)
    """
    s = _check_sizes(sizes)
    activation = _check_activation(activation)
    is_torch = is_tensor(w) or is_tensor(x)
    wt: Any  # a tensor or an array: the same formulas serve both
    h: Any
    if is_torch:
        import torch  # loaded already: one of w and x is a tensor

        wt = w if isinstance(w, torch.Tensor) else torch.as_tensor(w, dtype=torch.float64)
        h = torch.as_tensor(x, dtype=wt.dtype)
    else:
        wt = np.asarray(w, dtype=np.float64)
        h = np.asarray(x, dtype=np.float64)
    if tuple(wt.shape) != (flat_mlp_size(s),):
        msg = (
            f"w must be a flat vector of {flat_mlp_size(s)} weights for sizes {s}, got shape "
            + str(tuple(wt.shape))
        )
        raise ValueError(msg)
    if h.ndim != 2 or h.shape[1] != s[0]:
        msg = f"x must be a batch of shape (N, {s[0]}), got {tuple(h.shape)}; reshape it"
        raise ValueError(msg)
    start = 0
    last = len(s) - 2
    for k, (n_in, n_out) in enumerate(pairwise(s)):
        W = wt[start : start + n_out * n_in].reshape(n_out, n_in)
        start += n_out * n_in
        b = wt[start : start + n_out]
        start += n_out
        h = dense(h, W, b, activation="identity" if k == last else activation)
    return h
