"""The activation functions and the loss that AI uses most, with their derivatives.

Each function accepts numpy arrays or torch tensors. The derivative companions are the
closed forms the book teaches; the tests check them against finite differences and
torch autograd.
"""

from __future__ import annotations

from typing import Any

from slopebook._backend import xp

__all__ = [
    "mse",
    "mse_derivative",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
]


def relu(x: Any) -> Any:
    """``max(0, x)``.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return xp(x).where(x > 0, x, 0.0)


def relu_derivative(x: Any) -> Any:
    """1 where ``x > 0``, else 0. At the kink ``x = 0`` we use 0, as PyTorch does.

    Examples
    --------
    >>> relu_derivative(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    return xp(x).where(x > 0, 1.0, 0.0)


def sigmoid(x: Any) -> Any:
    """The logistic function ``σ(x) = 1 / (1 + e^(−x))``.

    Examples
    --------
    >>> sigmoid(np.array([0.0]))
    array([0.5])
    """
    return 1.0 / (1.0 + xp(x).exp(-x))


def sigmoid_derivative(x: Any) -> Any:
    """``σ'(x) = σ(x) (1 − σ(x))``, largest at ``x = 0`` where it is 0.25.

    Examples
    --------
    >>> sigmoid_derivative(np.array([0.0]))
    array([0.25])
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: Any) -> Any:
    """The hyperbolic tangent.

    Examples
    --------
    >>> tanh(np.array([0.0]))
    array([0.])
    """
    return xp(x).tanh(x)


def tanh_derivative(x: Any) -> Any:
    """``tanh'(x) = 1 − tanh²(x)``, largest at ``x = 0`` where it is 1.

    Examples
    --------
    >>> tanh_derivative(np.array([0.0]))
    array([1.])
    """
    return 1.0 - xp(x).tanh(x) ** 2


def mse(y: Any, y_hat: Any) -> Any:
    """Squared error ``(y − ŷ)²`` of one prediction (mean over an array).

    Examples
    --------
    >>> float(mse(np.array(3.0), np.array(1.0)))
    4.0
    """
    return ((y - y_hat) ** 2).mean()


def mse_derivative(y: Any, y_hat: Any) -> Any:
    """``dL/dŷ = −2 (y − ŷ)`` for one prediction (divide by the count for a mean).

    Examples
    --------
    >>> float(mse_derivative(3.0, 1.0))
    -4.0
    """
    return -2.0 * (y - y_hat)
