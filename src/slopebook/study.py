"""How the error of a finite difference depends on its step: measurement against theory.

Every difference formula trades truncation error (which shrinks with ``h``) against
round-off error (which grows like ``eps |f| / h``). :func:`step_size_study` measures the
error of each method over a range of steps, next to the error model and its best step
``h*``:

========  ==============================  ======================  =====================
method    error model                     best step ``h*``        best error
========  ==============================  ======================  =====================
forward   ``M2 h / 2 + 2 eps M0 / h``     ``2 sqrt(eps M0/M2)``   ``~ sqrt(eps)``
central   ``M3 h² / 6 + eps M0 / h``      ``(3 eps M0/M3)^(1/3)`` ``~ eps^(2/3)``
complex   ``M3 h² / 6 + eps M1``          any ``h`` below that    ``~ eps``
========  ==============================  ======================  =====================

with ``Mk = max |f^(k)|`` over the points studied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook._steps import Method
from slopebook._validation import as_point, check_callable
from slopebook.estimate import derivative_estimate
from slopebook.finite import derivative

__all__ = ["StepSizeStudy", "step_size_study"]

STUDY_METHODS: tuple[Method, ...] = ("forward", "central", "complex")


@dataclass(frozen=True)
class StepSizeStudy:
    """The result of :func:`slopebook.step_size_study`.

    Attributes
    ----------
    steps : ndarray
        The steps ``h`` tried (for ``|x| > 1`` they are multiplied by ``max |x|``).
    errors : dict of str to ndarray
        Largest absolute error over the points, per method and step.
    theory : dict of str to ndarray
        The error model evaluated at ``steps``.
    best_step, best_error : dict of str to float
        The model's best step ``h*`` and its error there.
    adaptive_error : float
        Largest true error of :func:`slopebook.derivative_estimate` at the same points.
    adaptive_bound : float
        Largest error it *reported*.
    adaptive_nfev : int
        Its evaluations per point.
    """

    steps: NDArray[np.floating]
    errors: Mapping[str, NDArray[np.floating]]
    theory: Mapping[str, NDArray[np.floating]]
    best_step: Mapping[str, float]
    best_error: Mapping[str, float]
    adaptive_error: float
    adaptive_bound: float
    adaptive_nfev: int


def step_size_study(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x: ArrayLike,
    *,
    steps: ArrayLike | None = None,
) -> StepSizeStudy:
    """Measure forward, central and complex-step errors against ``h``, next to theory.

    Parameters
    ----------
    f : callable
        A smooth function, elementwise on arrays and complex-analytic (the complex step is
        one of the methods).
    df : callable
        Its exact derivative, the reference.
    x : float or array_like
        The point(s); errors are the largest over them.
    steps : array_like, optional
        Steps to try; default 49 steps from ``1e-1`` down to ``1e-13``, times ``max(1, |x|)``.

    Returns
    -------
    StepSizeStudy

    Examples
    --------
    >>> s = step_size_study(np.sin, np.cos, np.linspace(-3, 3, 50))
    >>> print(f"{s.best_step['central']:.1e}", f"{s.best_error['central']:.1e}")
    8.7e-06 3.8e-11
    >>> print(s.errors["central"].min() < 1e-10, s.adaptive_error < 1e-13)
    True True
    """
    f = check_callable(f)
    df = check_callable(df)
    xa = as_point(x).reshape(-1)
    size = max(1.0, float(np.max(np.abs(xa))))
    hs = np.logspace(-1, -13, 49) * size if steps is None else as_point(steps, "steps")
    exact = np.asarray(df(xa), dtype=float)
    errors: dict[str, NDArray] = {
        m: np.array([np.max(np.abs(derivative(f, xa, method=m, h=h) - exact)) for h in hs])
        for m in STUDY_METHODS
    }
    eps = float(np.finfo(np.float64).eps)
    m0 = float(np.max(np.abs(f(xa))))
    m1 = float(np.max(np.abs(exact)))
    second = derivative_estimate(df, xa).value
    third = derivative_estimate(lambda t: derivative_estimate(df, t).value, xa).value
    m2 = max(float(np.max(np.abs(second))), eps)
    m3 = max(float(np.max(np.abs(third))), eps)

    def model(method: str, h: NDArray | float) -> NDArray:
        h = np.asarray(h, dtype=float)
        if method == "forward":
            return m2 * h / 2 + 2 * eps * m0 / h
        if method == "central":
            return m3 * h**2 / 6 + eps * m0 / h
        return m3 * h**2 / 6 + eps * m1

    best_step = {
        "forward": 2 * np.sqrt(eps * m0 / m2),
        "central": (3 * eps * m0 / m3) ** (1 / 3),
        "complex": np.sqrt(6 * eps * max(m1, eps) / m3),
    }
    best_step = {k: float(v) for k, v in best_step.items()}
    best_error: dict[str, float] = {k: float(model(k, best_step[k])) for k in STUDY_METHODS}
    theory: dict[str, NDArray] = {k: model(k, hs) for k in STUDY_METHODS}
    est = derivative_estimate(f, xa)
    return StepSizeStudy(
        steps=hs,
        errors=errors,
        theory=theory,
        best_step=best_step,
        best_error=best_error,
        adaptive_error=float(np.max(np.abs(est.value - exact))),
        adaptive_bound=float(np.max(est.error)),
        adaptive_nfev=int(np.max(est.nfev)),
    )
