"""Derivatives with an error bar: Richardson extrapolation of central differences.

A central difference ``D(h) = (f(x+h) - f(x-h)) / 2h`` is ``f'(x) + c₂h² + c₄h⁴ + ...``.
Taking it at five steps ``h₀, h₀/4, ..., h₀/256`` and eliminating the ``h²``, ``h⁴``, ...
terms one by one (Richardson extrapolation) gives a triangle of ever more accurate
estimates. The differences between neighbouring entries estimate their truncation error,
and ``eps |f| / h`` estimates their round-off; the entry with the smallest sum wins, and
that sum, with a safety factor, is the reported error. Eleven evaluations per point
(``f(x)`` is one of them: it feeds the kink check).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook import numerical_warnings as nw
from slopebook._validation import as_point, as_vector, check_callable, check_step
from slopebook.finite import _evaluate, _hessian_values, _steps

__all__ = ["DerivativeEstimate", "HessianEstimate", "derivative_estimate", "hessian_estimate"]

#: First step (in the units of x) and the factor between successive steps.
BASE_STEP = 0.25
RATIO = 4.0
LEVELS = 5
#: Error estimates are the estimated truncation plus this many times the round-off.
ROUNDOFF_SAFETY = 10.0


@dataclass(frozen=True)
class DerivativeEstimate:
    """The result of :func:`slopebook.derivative_estimate`.

    Attributes
    ----------
    value : float or ndarray
        The estimate of ``f'(x)``, shaped like ``x``.
    error : float or ndarray
        An estimate of ``|value - f'(x)|`` (truncation plus round-off, with margin).
    nfev : int or ndarray
        Evaluations of ``f`` spent on each point (11, or 22 where a second pass with
        steps scaled by ``|x|`` was needed).
    success : bool or ndarray
        ``True`` where the result is finite and ``error <= sqrt(eps)`` times the scale of
        the slope; a :class:`~slopebook.StepSizeWarning` names the other points.
    """

    value: Any
    error: Any
    nfev: Any
    success: Any


def _richardson_weights() -> tuple[NDArray, NDArray, NDArray]:
    """Every entry of the Richardson triangle as fixed weights on the level differences.

    Returns ``W`` (each extrapolated entry), ``P`` (the entry one order lower in the same
    row, whose distance from ``W`` estimates the truncation error) and ``V`` (non-negative
    weights that propagate the per-level round-off), each of shape ``(entries, LEVELS)``.
    """
    eye = np.eye(LEVELS)
    cur, cur_v = list(eye), list(eye)
    w_rows, p_rows, v_rows = [], [], []
    for j in range(1, LEVELS):
        c = RATIO ** (2 * j)
        new = [cur[k] + (cur[k] - cur[k - 1]) / (c - 1) for k in range(1, len(cur))]
        new_v = [(c * cur_v[k] + cur_v[k - 1]) / (c - 1) for k in range(1, len(cur_v))]
        w_rows += new
        p_rows += cur[1:]
        v_rows += new_v
        cur, cur_v = new, new_v
    return np.array(w_rows), np.array(p_rows), np.array(v_rows)


_W, _P, _V = _richardson_weights()


_SHRINK = RATIO ** -np.arange(LEVELS)


def _pass(f: Callable[[Any], Any], x: NDArray, h0: Any) -> tuple[NDArray, ...]:
    """One Richardson pass at every point of the 1-D array ``x``.

    Returns value, error, scale, kink, nonfinite, and the values and step needed to
    describe a kink. It is one call of ``f`` and about thirty whole-array operations:
    this is the fast path, so every operation counts.
    """
    eps = float(np.finfo(x.dtype).eps)
    xp = x + np.multiply.outer(_SHRINK, h0) if np.ndim(h0) else x + (h0 * _SHRINK)[:, None]
    h = xp - x  # steps the computer can take exactly
    probes = np.concatenate((xp, x - h, x[None]))
    vals = _evaluate(f, probes, probes.shape, "act elementwise: one output per input")
    fp, fm, f0 = vals[:LEVELS], vals[LEVELS:-1], vals[-1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv = 0.5 / h
        d = (fp - fm) * inv
        absv = np.abs(vals)
        cand = _W @ d
        err = np.abs(cand - _P @ d)
        err += (ROUNDOFF_SAFETY * eps) * (_V @ ((absv[:LEVELS] + absv[LEVELS:-1]) * inv))
        pick = np.argmin(err, axis=0)
        cols = np.arange(x.size)
        best, best_err = cand[pick, cols], err[pick, cols]
        # Kink: the half-gap between right and left slopes stays put as h shrinks
        # (for a smooth f it shrinks four times per level).
        e = (fp[-2:] + fm[-2:] - 2 * f0) * inv[-2:]
        ae = np.abs(e)
        kink = (np.abs(e[1] - e[0]) <= 0.25 * ae[0]) & (
            ae[1] > (64 * eps) * (absv[LEVELS - 1] + absv[-2] + 2 * absv[-1]) * inv[-1]
        )
        scale = np.maximum(np.abs(best), absv.max(axis=0) / np.maximum(1.0, np.abs(x)))
    if np.isfinite(best_err).all() and (h[-1] > 0).all():
        nonfinite = np.zeros(x.size, dtype=bool)
    else:
        nonfinite = ~np.isfinite(vals).all(axis=0)
        bad = nonfinite | (h[-1] == 0) | ~np.isfinite(best_err)
        best = np.where(bad, np.nan, best)
        best_err = np.where(bad, np.inf, best_err)
        kink &= ~bad
    return best, best_err, scale, kink, nonfinite, fm[-1], fp[-1], f0, h[-1]


def derivative_estimate(
    f: Callable[[Any], Any],
    x: ArrayLike,
    *,
    h0: float | None = None,
) -> DerivativeEstimate:
    """Derivative of a one-variable function with an estimate of its own error.

    Central differences at five steps ``h0, h0/4, ..., h0/256`` are combined by
    Richardson extrapolation; the combination with the smallest estimated error is
    returned with that estimate. Where the first pass cannot reach a relative error of
    ``sqrt(eps)`` and ``|x| > 1``, a second pass with steps scaled by ``|x|`` is tried
    (this handles polynomial-like ``f`` far from the origin, such as ``x**2`` at
    ``1e20``), and the better of the two is kept.

    Parameters
    ----------
    f : callable
        A function of one real variable that works elementwise on numpy arrays.
    x : float or array_like
        Where to take the derivative; all points are evaluated in one call of ``f``.
    h0 : float, optional
        The largest step, default ``0.25``. It should be small next to the scale on which
        ``f`` changes shape (a quarter of a period for a periodic ``f``).

    Returns
    -------
    DerivativeEstimate
        ``value``, ``error``, ``nfev`` (evaluations per point) and ``success``.

    Warns
    -----
    KinkWarning
        Left and right slopes disagree (``relu`` or ``abs`` at 0).
    NonFiniteWarning
        ``f`` is ``nan`` or ``inf`` within ``h0`` of ``x``; the value there is ``nan``.
    StepSizeWarning
        The error could not be brought below ``sqrt(eps)`` times the slope's scale
        (``sin`` at ``1e20``, where doubles are 16384 apart).
    PrecisionWarning
        ``x`` is float32.

    Examples
    --------
    >>> r = derivative_estimate(np.sin, [0.0, 1.0, 2.0])
    >>> print(np.abs(r.value - np.cos([0.0, 1.0, 2.0])).max() < 1e-13)
    True
    >>> print(bool(np.all(r.error < 1e-12)), r.nfev)
    True [11 11 11]

    An exactly-zero derivative is found without any special flag:

    >>> r = derivative_estimate(np.cos, 0.0)
    >>> print(abs(r.value) < 1e-15, r.success)
    True True
    """
    f = check_callable(f)
    xa = as_point(x)
    routine = "derivative_estimate"
    nw.check_precision(xa, routine)
    base = check_step(h0)
    if base is not None and np.ndim(base):
        msg = "h0 must be a single positive number (the largest step)"
        raise ValueError(msg)
    base = BASE_STEP if base is None else float(base)
    shape = xa.shape
    xa = xa.reshape(-1)
    value, error, scale, kink, nonfinite, fm, fp, f0, hmin = _pass(f, xa, base)
    nfev = np.full(xa.shape, 2 * LEVELS + 1)
    eps = float(np.finfo(xa.dtype).eps)
    with np.errstate(invalid="ignore"):
        success = error <= np.sqrt(eps) * scale
    if success.all() and not kink.any():  # the fast path: every point converged
        return _result(shape, value, error, nfev, success)
    poor = ~success & (np.abs(xa) > 1) & ~nonfinite
    if np.any(poor):
        xs = xa[poor]
        v2, e2, s2, k2, *_ = _pass(f, xs, base * np.abs(xs))
        take = e2 < error[poor]
        for arr, new in ((value, v2), (error, e2), (scale, s2), (kink, k2)):
            sub = arr[poor]
            sub[take] = new[take]
            arr[poor] = sub
        nfev[poor] += 2 * LEVELS + 1
    if np.any(nonfinite):
        nw.check_finite(np.where(nonfinite, np.nan, 0.0)[None], xa, routine)
    if np.any(kink):
        with np.errstate(divide="ignore", invalid="ignore"):
            nw.warn_kink(xa, (f0 - fm) / hmin, (fp - f0) / hmin, kink, routine)
    with np.errstate(invalid="ignore"):
        success = np.isfinite(value) & (error <= np.sqrt(eps) * scale) & ~kink
    unresolved = ~success & ~nonfinite & ~kink
    # Extrapolation that does not converge says nothing about the error: do not pretend.
    error = np.where(unresolved, np.inf, error)
    if np.any(unresolved):
        steps = np.where(nfev > 2 * LEVELS + 1, base * np.abs(xa), base)
        nw.warn_unresolved(
            xa, unresolved, float(np.max(steps[unresolved])), routine + " (no error bound)"
        )
    return _result(shape, value, error, nfev, success)


def _result(
    shape: tuple[int, ...], value: NDArray, error: NDArray, nfev: NDArray, success: NDArray
) -> DerivativeEstimate:
    if shape == ():
        return DerivativeEstimate(float(value[0]), float(error[0]), int(nfev[0]), bool(success[0]))
    return DerivativeEstimate(
        value.reshape(shape), error.reshape(shape), nfev.reshape(shape), success.reshape(shape)
    )


@dataclass(frozen=True)
class HessianEstimate:
    """The result of :func:`slopebook.hessian_estimate`.

    Attributes
    ----------
    value : ndarray, shape (n, n)
        The Hessian, exactly symmetric.
    error : ndarray, shape (n, n)
        Elementwise estimates of ``|value - H|``.
    norm_error : float
        ``‖error‖_F``, a bound on the spectral norm of the error if the elementwise
        estimates hold: pass it to :func:`slopebook.classify_critical_point`.
    nfev : int
        Evaluations of ``f``.
    """

    value: NDArray[np.floating]
    error: NDArray[np.floating]
    norm_error: float
    nfev: int


def hessian_estimate(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
) -> HessianEstimate:
    """Hessian by extrapolated central second differences, with an error estimate.

    Second differences at steps ``h``, ``2h`` and ``4h`` (default ``h = eps**(1/6)
    max(1, |x_i|)``, where extrapolated truncation and round-off balance) give two
    Richardson values ``R(h) = (4 H(h) - H(2h)) / 3`` and ``R(2h)``; their difference
    over 15 estimates the truncation error of ``R(h)``, and ``eps |f| / h²`` its round-off.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    h : float, array_like of shape (n,) or None
        The smallest step(s).
    vectorized : bool, default False
        ``f`` takes an ``(n, k)`` array of ``k`` points, as in :func:`slopebook.hessian`.

    Returns
    -------
    HessianEstimate

    Examples
    --------
    A minimum is only called a minimum when the error bound allows it:

    >>> from slopebook import classify_critical_point
    >>> r = hessian_estimate(lambda p: p[0]**2 + 3 * p[1]**2 + p[0] * p[1], [0.0, 0.0])
    >>> r.value.round(8)
    array([[2., 1.],
           [1., 6.]])
    >>> print(r.norm_error < 1e-6, classify_critical_point(r.value, error=r.norm_error))
    True minimum
    """
    f = check_callable(f)
    xa = as_vector(x)
    routine = "hessian_estimate"
    nw.check_precision(xa, routine)
    step = check_step(h)
    eps = float(np.finfo(xa.dtype).eps)
    if step is None:
        step = eps ** (1 / 6) * np.maximum(1.0, np.abs(xa))
    hs = _steps(xa, "central", step)
    n = xa.size
    values, fmax = [], 0.0
    for k in range(3):
        hk = _steps(xa, "central", hs * 2**k)
        Hk, big = _hessian_values(f, xa, hk, vectorized, routine)
        values.append(Hk)
        fmax = max(fmax, big)
    h1, h2, h4 = values
    r1 = (4 * h1 - h2) / 3
    r2 = (4 * h2 - h4) / 3
    trunc = np.abs(r1 - r2) / 15
    roundoff = 8 * eps * fmax / np.outer(hs, hs)
    error = 2 * trunc + 2 * roundoff
    per_call = n * n + n + 1
    return HessianEstimate(r1, error, float(np.linalg.norm(error)), 3 * per_call)
