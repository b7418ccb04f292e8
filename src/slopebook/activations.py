"""Classic activation functions and the squared-error loss, with their derivatives.

Each function accepts numpy arrays, Python numbers or torch tensors (so the same formula
can be differentiated by finite differences and by torch autograd). The derivative
companions are the closed forms the book teaches, written so that they stay accurate
far out in the tails; the tests check them against finite differences and autograd.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from slopebook._backend import is_tensor, xp

__all__ = [
    "ACTIVATIONS",
    "mse",
    "mse_derivative",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
]


def _real(x: Any, name: str = "x") -> Any:
    """Return ``x`` as a real floating array or tensor, refusing strings, complex, objects."""
    if is_tensor(x):
        torch = xp(x)
        if not (x.is_floating_point() or x.dtype in (torch.int32, torch.int64)):
            msg = f"{name} must be a real tensor, got dtype {x.dtype}; use a float tensor"
            raise TypeError(msg)
        return x if x.is_floating_point() else x.to(torch.float64)
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:
        msg = f"{name} must be a number or an array of numbers, got {x!r:.60}"
        raise TypeError(msg) from err
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        msg = f"{name} must hold real numbers, got dtype {arr.dtype}; pass floats"
        raise TypeError(msg)
    return arr


def relu(x: Any) -> Any:
    """``max(0, x)``.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    x = _real(x)
    m = xp(x)
    return m.where(x > 0, x, m.zeros_like(x))


def relu_derivative(x: Any) -> Any:
    """1 where ``x > 0``, else 0.

    At the kink ``x = 0`` the derivative does not exist (the slope is 0 from the left
    and 1 from the right); like PyTorch, we return 0 there.

    Examples
    --------
    >>> relu_derivative(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    x = _real(x)
    m = xp(x)
    return m.where(x > 0, m.ones_like(x), m.zeros_like(x))


def sigmoid(x: Any) -> Any:
    """The logistic function ``σ(x) = 1 / (1 + e^(−x))``.

    Computed as ``1 / (1 + e^(−|x|))`` or ``e^(−|x|) / (1 + e^(−|x|))`` so that
    ``e`` is never raised to a large positive power (no overflow for ``x = −1000``).

    Examples
    --------
    >>> sigmoid(np.array([0.0]))
    array([0.5])
    >>> print(float(sigmoid(-1000.0)), float(sigmoid(1000.0)))
    0.0 1.0
    """
    x = _real(x)
    m = xp(x)
    e = m.exp(-m.abs(x))
    return m.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(x: Any) -> Any:
    """``σ'(x) = σ(x) (1 − σ(x))``, largest at ``x = 0`` where it is exactly 0.25.

    Evaluated as ``e^(−|x|) / (1 + e^(−|x|))²``, which equals ``σ(1 − σ)`` but keeps its
    relative accuracy where ``1 − σ(x)`` would round to 0 (large ``x``).

    Examples
    --------
    >>> sigmoid_derivative(np.array([0.0]))
    array([0.25])
    >>> print(float(sigmoid_derivative(40.0)) > 0)
    True
    """
    x = _real(x)
    m = xp(x)
    e = m.exp(-m.abs(x))
    return e / (1.0 + e) ** 2


def tanh(x: Any) -> Any:
    """The hyperbolic tangent.

    Examples
    --------
    >>> tanh(np.array([0.0]))
    array([0.])
    """
    x = _real(x)
    return xp(x).tanh(x)


def tanh_derivative(x: Any) -> Any:
    """``tanh'(x) = 1 − tanh²(x)``, largest at ``x = 0`` where it is 1.

    Evaluated as ``4 e^(−2|x|) / (1 + e^(−2|x|))²``, which equals ``1 − tanh²(x)`` but
    does not round to 0 for large ``|x|``.

    Examples
    --------
    >>> tanh_derivative(np.array([0.0]))
    array([1.])
    """
    x = _real(x)
    m = xp(x)
    e = m.exp(-2.0 * m.abs(x))
    return 4.0 * e / (1.0 + e) ** 2


def _pair(y: Any, y_hat: Any) -> tuple[Any, Any]:
    y, y_hat = _real(y, "y"), _real(y_hat, "y_hat")
    if tuple(y.shape) != tuple(y_hat.shape):
        msg = (
            f"y and y_hat must have the same shape, got {tuple(y.shape)} and "
            f"{tuple(y_hat.shape)}; broadcasting them would compare the wrong pairs"
        )
        raise ValueError(msg)
    if is_tensor(y) != is_tensor(y_hat):
        import torch  # one of the two is a tensor, so torch is loaded already

        y, y_hat = (
            torch.as_tensor(y, dtype=torch.float64),
            torch.as_tensor(y_hat, dtype=torch.float64),
        )
    return y, y_hat


def mse(y: Any, y_hat: Any) -> Any:
    """Squared error ``(t − ŷ)²`` of a prediction ``ŷ`` (``y_hat``) of a target ``t`` (``y``).

    Over arrays, the mean of the squared errors.

    Raises
    ------
    ValueError
        If ``y`` and ``y_hat`` have different shapes (broadcasting would silently pair
        every target with every prediction).

    Examples
    --------
    >>> float(mse(np.array(3.0), np.array(1.0)))
    4.0
    """
    y, y_hat = _pair(y, y_hat)
    return ((y - y_hat) ** 2).mean()


def mse_derivative(y: Any, y_hat: Any) -> Any:
    """``dL/dŷ = −2 (t − ŷ)`` for one prediction ``ŷ`` (``y_hat``) of a target ``t`` (``y``).

    Divide by the count for the derivative of a mean.

    Examples
    --------
    >>> float(mse_derivative(3.0, 1.0))
    -4.0
    """
    y, y_hat = _pair(y, y_hat)
    return -2.0 * (y - y_hat)


#: Name -> (activation, its derivative), the activations the book compares.
ACTIVATIONS: dict[str, tuple[Any, Any]] = {
    "relu": (relu, relu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
}
