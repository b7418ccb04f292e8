"""Walking downhill: gradient-descent and Newton steps, and whole trajectories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook._validation import as_point, check_callable, integer, positive_number

__all__ = ["gradient_descent", "gradient_descent_step", "newton_step"]


def _check_lr(lr: Any) -> float:
    return positive_number(lr, "lr (the learning rate)")


def gradient_descent_step(w: ArrayLike, g: ArrayLike, lr: float) -> NDArray[np.floating]:
    """One step downhill: ``w_new = w − lr · ∇L(w)``.

    Parameters
    ----------
    w : array_like
        Current parameters.
    g : array_like
        The gradient of the loss at ``w`` (same shape).
    lr : float
        Learning rate (step size), positive.

    Examples
    --------
    The bowl at ``(3, 4)`` has gradient ``(6, 8)``; with ``lr = 0.01``:

    >>> gradient_descent_step([3.0, 4.0], [6.0, 8.0], lr=0.01)
    array([2.94, 3.92])
    """
    wa = as_point(w, "w")
    ga = as_point(g, "g")
    if ga.shape != wa.shape:
        msg = f"g must have the shape of w, {wa.shape}, got {ga.shape}"
        raise ValueError(msg)
    return wa - _check_lr(lr) * ga


def gradient_descent(
    grad: Callable[[NDArray], ArrayLike], w0: ArrayLike, *, lr: float, steps: int
) -> NDArray[np.floating]:
    """Run ``steps`` gradient-descent steps from ``w0`` and return the whole path.

    Parameters
    ----------
    grad : callable
        ``grad(w)`` returns the gradient of the loss at ``w``.
    w0 : array_like
        Starting point (a scalar for a 1-D loss).
    lr : float
        Learning rate.
    steps : int
        Number of steps (``>= 0``).

    Returns
    -------
    ndarray, shape (steps + 1,) + w0.shape
        Row ``k`` is the point after ``k`` steps. A path that blows up is returned as
        it is (inf or nan rows), because divergence is part of the lesson.

    Examples
    --------
    >>> gradient_descent(lambda w: 2 * w, 1.0, lr=0.25, steps=3)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    grad = check_callable(grad, "grad")
    steps = integer(steps, "steps", minimum=0, error=ValueError)
    rate = _check_lr(lr)
    w = as_point(w0, "w0")
    path = np.empty((int(steps) + 1, *w.shape), dtype=w.dtype)
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(int(steps)):
            w = w - rate * np.asarray(grad(w), dtype=w.dtype)
            path[k + 1] = w
    return path


def newton_step(w: ArrayLike, g: ArrayLike, H: ArrayLike) -> NDArray[np.floating]:
    """One Newton step ``w − H⁻¹ ∇L``: exact in one step on a quadratic bowl.

    Solves ``H d = g`` rather than inverting ``H``.

    Raises
    ------
    ValueError
        If ``H`` is not square of matching size, or is singular.

    Examples
    --------
    >>> newton_step([3.0, 4.0], [6.0, 8.0], [[2.0, 0.0], [0.0, 2.0]])
    array([0., 0.])
    """
    wa = as_point(w, "w").reshape(-1)
    ga = as_point(g, "g").reshape(-1)
    Ha = as_point(H, "H")
    n = wa.size
    if ga.size != n or Ha.shape != (n, n):
        msg = f"need g of shape ({n},) and H of shape ({n}, {n}), got {ga.shape} and {Ha.shape}"
        raise ValueError(msg)
    try:
        return wa - np.linalg.solve(Ha, ga)
    except np.linalg.LinAlgError as err:
        msg = "H is singular: the Newton step is undefined; use a gradient step instead"
        raise ValueError(msg) from err
