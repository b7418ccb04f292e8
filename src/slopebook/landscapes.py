"""Toy functions with derivatives known in closed form: the book's test terrain.

Each function accepts numpy arrays *or* torch tensors (so it can be differentiated by
finite differences and by autograd alike), and comes with its analytic derivatives,
which the book and the tests use as ground truth. Points are ``p = [x, y, ...]``; the
leading axis indexes the coordinates, so a grid ``np.array([X, Y])`` evaluates at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from slopebook._backend import xp
from slopebook._validation import as_point, check_callable, integer

__all__ = [
    "bowl",
    "bowl_gradient",
    "bowl_hessian",
    "critical_points_1d",
    "elliptic_bowl",
    "elliptic_bowl_gradient",
    "mixing_board",
    "mixing_board_gradient",
    "rosenbrock",
    "rosenbrock_columns",
    "rosenbrock_gradient",
    "saddle",
    "saddle_gradient",
    "saddle_hessian",
    "toy_loss",
    "toy_loss_derivative",
]


def bowl(p: Any) -> Any:
    """The bowl ``f(x, y) = x² + y²``: one minimum at the origin.

    Examples
    --------
    >>> float(bowl(np.array([3.0, 4.0])))
    25.0
    """
    return p[0] ** 2 + p[1] ** 2


def bowl_gradient(p: Any) -> NDArray[np.float64]:
    """Analytic gradient ``[2x, 2y]`` of :func:`bowl`.

    Examples
    --------
    >>> bowl_gradient([3.0, 4.0])
    array([6., 8.])
    """
    p = np.asarray(p, dtype=float)
    return np.array([2 * p[0], 2 * p[1]])


def bowl_hessian(p: Any = None) -> NDArray[np.float64]:
    """Analytic Hessian ``[[2, 0], [0, 2]]`` of :func:`bowl` (the same everywhere)."""
    return np.array([[2.0, 0.0], [0.0, 2.0]])


def saddle(p: Any) -> Any:
    """The saddle ``f(x, y) = x² − y²``: up along x, down along y.

    Examples
    --------
    >>> float(saddle(np.array([1.0, 2.0])))
    -3.0
    """
    return p[0] ** 2 - p[1] ** 2


def saddle_gradient(p: Any) -> NDArray[np.float64]:
    """Analytic gradient ``[2x, −2y]`` of :func:`saddle`."""
    p = np.asarray(p, dtype=float)
    return np.array([2 * p[0], -2 * p[1]])


def saddle_hessian(p: Any = None) -> NDArray[np.float64]:
    """Analytic Hessian ``[[2, 0], [0, −2]]`` of :func:`saddle` (the same everywhere)."""
    return np.array([[2.0, 0.0], [0.0, -2.0]])


def elliptic_bowl(p: Any) -> Any:
    """The stretched bowl ``f(x, y) = x² + 0.5 y²``: steeper along x than along y.

    Examples
    --------
    >>> float(elliptic_bowl(np.array([1.0, 2.0])))
    3.0
    """
    return p[0] ** 2 + 0.5 * p[1] ** 2


def elliptic_bowl_gradient(p: Any) -> NDArray[np.float64]:
    """Analytic gradient ``[2x, y]`` of :func:`elliptic_bowl` (works on grids too).

    Examples
    --------
    >>> elliptic_bowl_gradient([1.0, 2.0])
    array([2., 2.])
    """
    p = np.asarray(p, dtype=float)
    return np.array([2 * p[0], p[1]])


def toy_loss(x: Any) -> Any:
    """The non-convex 1-D toy loss ``L(x) = 0.3 sin(3x) + 0.5 x²``.

    Examples
    --------
    >>> round(float(toy_loss(0.0)), 12)
    0.0
    """
    return 0.3 * xp(x).sin(3 * x) + 0.5 * x**2


def toy_loss_derivative(x: Any) -> Any:
    """Analytic derivative ``L'(x) = 0.9 cos(3x) + x`` of :func:`toy_loss`.

    Examples
    --------
    >>> float(toy_loss_derivative(0.0))
    0.9
    """
    return 0.9 * xp(x).cos(3 * x) + x


def rosenbrock(p: Any) -> Any:
    """The n-dimensional Rosenbrock valley ``Σ_{i=1}^{n−1} 100 (x_{i+1} − x_i²)² + (1 − x_i)²``.

    Its global minimum is 0 at ``(1, ..., 1)``, at the bottom of a long curved valley
    (Rosenbrock's 2-D original is the case ``n = 2``). It is not the only minimum: for
    ``4 ≤ n ≤ 7`` the function also has a local minimum with a negative first coordinate,
    near ``(−1, 1, ..., 1)`` (Kok and Sandrock, 2009), where descent can stop.

    References
    ----------
    H. H. Rosenbrock (1960). An automatic method for finding the greatest or least value
    of a function. *The Computer Journal* 3(3), 175–184.

    S. Kok and C. Sandrock (2009). Locating and characterizing the stationary points of
    the extended Rosenbrock function. *Evolutionary Computation* 17(3), 437–453.

    Examples
    --------
    >>> float(rosenbrock(np.ones(5)))
    0.0
    """
    return (100.0 * (p[1:] - p[:-1] ** 2) ** 2 + (1.0 - p[:-1]) ** 2).sum()


def rosenbrock_columns(P: Any) -> Any:
    """:func:`rosenbrock` of every column of an ``(n, k)`` array: ``k`` values at once.

    This is the form ``vectorized=True`` asks for (:func:`slopebook.gradient`,
    :func:`slopebook.hessian`): the columns of ``P`` are ``k`` points.

    Examples
    --------
    >>> P = np.ones((3, 2)); P[0, 1] = 0.0
    >>> rosenbrock_columns(P)
    array([  0., 101.])
    """
    return (100.0 * (P[1:] - P[:-1] ** 2) ** 2 + (1.0 - P[:-1]) ** 2).sum(axis=0)


def rosenbrock_gradient(p: Any) -> NDArray[np.float64]:
    """Analytic gradient of :func:`rosenbrock`.

    Examples
    --------
    >>> rosenbrock_gradient(np.zeros(3))
    array([-2., -2.,  0.])
    """
    p = np.asarray(p, dtype=float)
    g = np.zeros_like(p)
    inner = p[1:] - p[:-1] ** 2
    g[:-1] += -400.0 * p[:-1] * inner - 2.0 * (1.0 - p[:-1])
    g[1:] += 200.0 * inner
    return g


def mixing_board(p: Any) -> Any:
    """``f(x, y) = x² y + 3 y``, the partial-derivatives chapter's example.

    Examples
    --------
    >>> float(mixing_board(np.array([2.0, 5.0])))
    35.0
    """
    return p[0] ** 2 * p[1] + 3 * p[1]


def mixing_board_gradient(p: Any) -> NDArray[np.float64]:
    """Analytic partials ``[∂f/∂x, ∂f/∂y] = [2xy, x² + 3]`` of :func:`mixing_board`.

    Examples
    --------
    >>> mixing_board_gradient([2.0, 5.0])
    array([20.,  7.])
    """
    p = np.asarray(p, dtype=float)
    return np.array([2 * p[0] * p[1], p[0] ** 2 + 3])


def critical_points_1d(
    df: Any, lo: float, hi: float, *, n: int = 2001, tol: float = 1e-12
) -> NDArray[np.float64]:
    """Sign changes of ``df`` between ``n`` samples of ``[lo, hi]``, refined by bisection.

    ``df`` is sampled on ``n`` evenly spaced points; each sign change brackets a zero,
    which bisection narrows to width ``tol``. Zeros that touch 0 without crossing it, or
    pairs closer together than the sampling step, are not found: raise ``n`` if in doubt.

    Parameters
    ----------
    df : callable
        The derivative, vectorised over numpy arrays.
    lo, hi : float
        The interval, ``lo < hi``.
    n : int, default 2001
        Number of samples.
    tol : float, default 1e-12
        Width to which each bracket is narrowed.

    Returns
    -------
    ndarray
        The critical points, increasing.

    Examples
    --------
    >>> critical_points_1d(np.cos, 0.0, 4.0)  # π/2
    array([1.5707...])
    """
    df = check_callable(df, "df")
    a, b = float(as_point(lo, "lo")), float(as_point(hi, "hi"))
    if not a < b:
        msg = f"need lo < hi, got lo={lo!r}, hi={hi!r}"
        raise ValueError(msg)
    n = integer(n, "n (number of samples)", minimum=2, error=ValueError)
    xs = np.linspace(a, b, int(n))
    signs = np.sign(np.asarray(df(xs), dtype=float))
    roots = list(xs[signs == 0])
    for k in np.flatnonzero(signs[:-1] * signs[1:] < 0):
        left, right = xs[k], xs[k + 1]
        s_left = signs[k]
        while right - left > tol:
            mid = 0.5 * (left + right)
            s_mid = np.sign(float(df(np.array(mid))))
            if s_mid == 0:
                left = right = mid
            elif s_mid == s_left:
                left = mid
            else:
                right = mid
        roots.append(0.5 * (left + right))
    return np.sort(np.array(roots, dtype=float))
