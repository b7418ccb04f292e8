"""Derivatives with an error bar: Richardson extrapolation of central differences.

A central difference ``D(h) = (f(x+h) - f(x-h)) / 2h`` is ``f'(x) + c₂h² + c₄h⁴ + ...``.
Taking it at five steps ``h₀, h₀/4, ..., h₀/256`` and eliminating the ``h²``, ``h⁴``, ...
terms one by one (Richardson extrapolation) gives a triangle of ever more accurate
estimates. The distance of an entry from the one of next lower order and next coarser step
estimates its truncation error (a heuristic, reliable once the steps are small enough for
the ``h²``, ``h⁴``, ... terms to dominate, not a guaranteed bound), and ``eps |f| / h`` its
round-off; of six candidate entries the one with the smallest sum wins, and that sum, with
a safety factor, is the reported error estimate. Ten evaluations per point, in one call of
``f``; the kink check reads the even part ``f(x+h) + f(x-h)`` of the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook import numerical_warnings as nw
from slopebook._stencils import richardson, second_differences
from slopebook._steps import hessian_steps, steps
from slopebook._validation import as_point, as_vector, check_callable, check_step

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
        Evaluations of ``f`` spent on each point (10, or 20 where a second pass with
        steps scaled by ``|x|`` was needed).
    success : bool or ndarray
        ``True`` where the result is finite, no kink was detected, and
        ``error <= sqrt(eps)`` times the scale of the slope. A
        :class:`~slopebook.KinkWarning`, a :class:`~slopebook.NonFiniteWarning` or a
        :class:`~slopebook.StepSizeWarning` names the other points (the last also sets
        their ``error`` to ``inf``).
    """

    value: Any
    error: Any
    nfev: Any
    success: Any


def _richardson_weights() -> tuple[NDArray, NDArray, NDArray]:
    """Every entry of the Richardson triangle as fixed weights on the level differences.

    Returns ``W`` (each extrapolated entry ``T(j, k)``, order ``j`` ending at level ``k``),
    ``P`` (the entry ``T(j-1, k-1)`` one order lower and one step coarser, whose distance
    from ``W`` estimates the truncation error) and ``V`` (non-negative weights that
    propagate the per-level round-off), each of shape ``(entries, LEVELS)``.

    ``T(j, k) - T(j-1, k-1)`` is ``4**(2j)`` times ``T(j, k) - T(j-1, k)``, the more common
    and more optimistic choice, which two lower-order entries that agree by accident can
    make far too small: on 4001 points of arctan in [-pi, pi] it claimed 4.7e-13 where the
    error was 1.9e-10, and next to a kink that only the large steps straddle it claimed
    1.6e-8 where the error was 4.9e-6. The cautious choice reports estimates a few times
    larger (about 2e-12 for sin) and keeps both honest (tests/unit/test_estimate.py).
    """
    eye = np.eye(LEVELS)
    cur, cur_v = list(eye), list(eye)
    w_rows, p_rows, v_rows = [], [], []
    for j in range(1, LEVELS):
        c = RATIO ** (2 * j)
        new = [cur[k] + (cur[k] - cur[k - 1]) / (c - 1) for k in range(1, len(cur))]
        new_v = [(c * cur_v[k] + cur_v[k - 1]) / (c - 1) for k in range(1, len(cur_v))]
        w_rows += new
        p_rows += cur[:-1]
        v_rows += new_v
        cur, cur_v = new, new_v
    return np.array(w_rows), np.array(p_rows), np.array(v_rows)


_W, _P, _V = _richardson_weights()
_SHRINK = RATIO ** -np.arange(LEVELS)
#: The entries of the triangle that compete, as (order, level) with level 0 the largest
#: step: the top entry of orders 2, 3 and 4, ``(j, j)``, and the entries of orders 1, 2
#: and 3 that end at the finest step. The latter win where f changes fast (log1p(x²)
#: near 0) and, more importantly, where a kink lies within the large steps but not the
#: small ones: they leave out the largest one, two or three steps. On eleven smooth
#: functions at 11,000 points the other four entries never changed a result's accuracy or
#: coverage; near a kink, leaving out the finest-step entries let wrong values pass with
#: a small error estimate (tests/unit/test_estimate.py checks both).
CANDIDATES = ((2, 2), (3, 3), (4, 4), (1, 4), (2, 4), (3, 4))
_ENTRY = [(j, k) for j in range(1, LEVELS) for k in range(j, LEVELS)]
_ROWS = [_ENTRY.index(c) for c in CANDIDATES]
#: One matrix for every linear combination of the level slopes: the candidates (rows
#: ``0..5``) and their distances from the entry one order lower and one step coarser
#: (rows ``6..11``), which estimate their truncation errors.
_TRIANGLE = np.vstack([_W[_ROWS], (_W - _P)[_ROWS]])
#: Round-off of each candidate per unit of ``|f|`` at the probes ``x + h_k`` (columns
#: ``0..4``) and ``x - h_k`` (``5..9``), for a first step of 1.
_ROUNDOFF = np.tile(_V[_ROWS] * (0.5 / _SHRINK), 2)
#: The steps for the default first step, as a column, and the round-off weights for them.
_DEFAULT_STEPS = (BASE_STEP * _SHRINK)[:, None]
_DEFAULT_ROUNDOFF = (ROUNDOFF_SAFETY * float(np.finfo(np.float64).eps) / BASE_STEP) * _ROUNDOFF
#: The even parts ``s_k = f(x+h_k) + f(x-h_k)`` of the three finest levels, combined:
#: row 0 is ``s_3 - s_4``, row 1 is ``(s_2 - s_3) - 4 (s_3 - s_4)``.
_KINK = np.zeros((2, 2 * LEVELS))
for _row, _coef in enumerate(([0, 0, 0, 1, -1], [0, 0, 1, -5, 4])):
    _KINK[_row, :LEVELS] = _KINK[_row, LEVELS:] = _coef
_EPS = {t: float(np.finfo(t).eps) for t in (np.float32, np.float64)}
_SQRT_EPS = {t: float(np.sqrt(e)) for t, e in _EPS.items()}
#: Evaluations of ``f`` per point in one pass.
NFEV = 2 * LEVELS


class _Pass(NamedTuple):
    """What one pass learned about each point (all arrays have the length of ``x``)."""

    value: NDArray
    error: NDArray
    absv: NDArray  # |f| at every probe, shape (2 LEVELS, n)
    kink: NDArray
    kinked: bool  # kink.any()
    jump: NDArray  # (s_3 - s_4), which is 3 h_4 (R - L) at a kink
    vals: NDArray
    width: NDArray  # (x + h) - (x - h) at the finest step, as really taken

    @property
    def size(self) -> NDArray:
        """``|f(x + h)| + |f(x - h)|`` at the finest step: about ``2 |f(x)|``."""
        return self.absv[LEVELS - 1] + self.absv[-1]

    @property
    def hmin(self) -> NDArray:
        """The finest step."""
        return self.width / 2


def _pass(f: Callable[[Any], Any], x: NDArray, h0: Any) -> _Pass:
    """One Richardson pass at every point of the 1-D array ``x``, one call of ``f``.

    This is the fast path, so it is written as a handful of whole-array operations: every
    linear combination of the values is one small matrix product.

    The kink test needs no ``f(x)``. The even part ``s(h) = f(x+h) + f(x-h)`` of a smooth
    ``f`` is ``2 f(x) + f'' h² + O(h⁴)``: successive differences ``s(4h) - s(h)`` shrink
    sixteen times per level. At a kink it is ``2 f(x) + (R - L) h``: they shrink four
    times, and ``(s(4h) - s(h)) / 3h`` is the jump ``R - L`` between the one-sided slopes.
    """
    n = x.size
    eps = _EPS[x.dtype.type]
    probes = np.empty((NFEV, n), dtype=x.dtype)
    up, down = probes[:LEVELS], probes[LEVELS:]
    scalar_h0 = isinstance(h0, float)
    default = scalar_h0 and h0 == BASE_STEP and x.dtype.type is np.float64
    if default:
        steps = _DEFAULT_STEPS
    else:
        steps = (h0 * _SHRINK)[:, None] if scalar_h0 else np.multiply.outer(_SHRINK, h0)
    np.add(x, steps, out=up)
    np.subtract(x, steps, out=down)
    # x + h and x - h are rounded to doubles; dividing by the distance between the points
    # really taken makes that rounding harmless (an error of order ulp * f'', not
    # ulp * f' / h as dividing by the nominal 2h would give).
    width = up - down
    with np.errstate(all="ignore"):  # non-finite values are reported once, by name
        vals = np.asarray(f(probes))
        if vals.shape != probes.shape:
            msg = (
                "f must act elementwise: one output per input; for input of shape "
                f"{probes.shape} it returned shape {vals.shape}"
            )
            raise ValueError(msg)
        if vals.dtype.kind not in "biuf":
            msg = f"f must return real numbers, got dtype {vals.dtype}"
            raise TypeError(msg)
        fp, fm = vals[:LEVELS], vals[LEVELS:]
        d = fp - fm
        d /= width
        tri = _TRIANGLE @ d
        absv = np.abs(vals)
        if default:
            err = _DEFAULT_ROUNDOFF @ absv
        elif scalar_h0:
            err = ((ROUNDOFF_SAFETY * eps / h0) * _ROUNDOFF) @ absv
        else:
            err = (ROUNDOFF_SAFETY * eps) * (_ROUNDOFF @ absv) / h0
        m = len(CANDIDATES)
        err += np.abs(tri[m:])
        flat = err.argmin(axis=0) * n
        flat += np.arange(n)
        even = _KINK @ vals
        ae = np.abs(even)
        kink = ae[1] <= ae[0]  # shrinking four times per level, not sixteen ...
        kinked = bool(kink.any())
        if kinked:  # ... and above the round-off (a smooth f rarely gets here)
            kink &= ae[0] > (128 * eps) * (absv[LEVELS - 2] + absv[-2])
            kinked = bool(kink.any())
    value, error = tri.take(flat), err.take(flat)
    return _Pass(value, error, absv, kink, kinked, even[0], vals, width[-1])


def _success(value: NDArray, error: NDArray, size: NDArray, x: NDArray) -> NDArray:
    """``error <= sqrt(eps)`` times the scale of the slope: ``|f'|``, or ``|f| / max(1, |x|)``
    where ``f'`` is (nearly) zero (``size`` is about ``2 |f(x)|``)."""
    tol = _SQRT_EPS[x.dtype.type]
    ok = error <= tol * np.abs(value)  # comparisons with nan are quietly False
    if ok.all():  # the common case: the slope itself sets the scale
        return ok
    with np.errstate(invalid="ignore", over="ignore"):
        return ok | (error <= tol * size / (2 * np.maximum(1.0, np.abs(x))))


def _bad_points(p: _Pass) -> NDArray:
    """Points whose pass cannot be trusted: a non-finite value, or a step of zero."""
    return ~np.isfinite(p.vals).all(axis=0) | (p.hmin == 0) | ~np.isfinite(p.error)


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
        Left and right difference quotients disagree: a kink at or within a step of
        ``x`` (``relu`` or ``abs`` near 0).
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
    >>> print(bool(np.all(r.error < 1e-11)), r.nfev)
    True [10 10 10]

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
    p = _pass(f, xa, base)
    success = p.error <= _SQRT_EPS[xa.dtype.type] * np.abs(p.value)
    if success.all() and not p.kinked:  # the fast path: every point converged
        return _result(shape, p.value, p.error, np.full(xa.shape, NFEV), success)
    success = _success(p.value, p.error, p.size, xa)
    return _slow_path(f, xa, shape, base, p, success, routine)


def _slow_path(
    f: Callable[[Any], Any],
    xa: NDArray,
    shape: tuple[int, ...],
    base: float,
    p: _Pass,
    success: NDArray,
    routine: str,
) -> DerivativeEstimate:
    """Second pass with scaled steps where needed, then the named warnings."""
    nfev = np.full(xa.shape, NFEV)
    bad = _bad_points(p)
    nonfinite = ~np.isfinite(p.vals).all(axis=0)
    value = np.where(bad, np.nan, p.value)
    error = np.where(bad, np.inf, p.error)
    kink, size = p.kink & ~bad, p.size.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        jump = p.jump / (3 * p.hmin)  # right slope minus left slope, at a kink
    poor = ~success & (np.abs(xa) > 1) & ~nonfinite
    if np.any(poor):
        xs = xa[poor]
        q = _pass(f, xs, base * np.abs(xs))
        qbad = _bad_points(q)
        e2 = np.where(qbad, np.inf, q.error)
        take = e2 < error[poor]
        with np.errstate(divide="ignore", invalid="ignore"):
            new = (q.value, e2, q.kink & ~qbad, q.jump / (3 * q.hmin), q.size)
        for arr, fresh in zip((value, error, kink, jump, size), new, strict=True):
            sub = arr[poor]
            sub[take] = fresh[take]
            arr[poor] = sub
        nfev[poor] += NFEV
    if np.any(nonfinite):
        nw.check_finite(np.where(nonfinite, np.nan, 0.0)[None], xa, routine)
    if np.any(kink):
        with np.errstate(invalid="ignore"):
            nw.warn_kink(xa, value - jump / 2, value + jump / 2, kink, routine)
    success = np.isfinite(value) & _success(value, error, size, xa) & ~kink
    unresolved = ~success & ~nonfinite & ~kink
    # Extrapolation that does not converge says nothing about the error: do not pretend.
    error = np.where(unresolved, np.inf, error)
    if np.any(unresolved):
        steps = np.where(nfev > NFEV, base * np.abs(xa), base)
        nw.warn_unresolved(
            xa, unresolved, float(np.max(steps[unresolved])), routine + " (no error bound)"
        )
    return _result(shape, value, error, nfev, success)


def _result(
    shape: tuple[int, ...], value: NDArray, error: NDArray, nfev: NDArray, success: NDArray
) -> DerivativeEstimate:
    if shape == ():
        return DerivativeEstimate(float(value[0]), float(error[0]), int(nfev[0]), bool(success[0]))
    if len(shape) == 1:
        return DerivativeEstimate(value, error, nfev, success)
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

    Warns
    -----
    StepSizeWarning
        A given ``h`` is below the spacing of doubles at ``x``.

    Examples
    --------
    A minimum is only called a minimum when the error estimate allows it:

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
    eps = float(np.finfo(xa.dtype).eps)
    hs = hessian_steps(xa, check_step(h), routine)
    n = xa.size
    values, fmax = [], 0.0
    for k in range(3):
        hk = steps(xa, "central", hs * 2**k)
        Hk, big = second_differences(f, xa, hk, vectorized, routine)
        values.append(Hk)
        fmax = max(fmax, big)
    h1, h2, h4 = values
    r1 = richardson(h1, h2)
    r2 = richardson(h2, h4)
    trunc = np.abs(r1 - r2) / 15
    roundoff = 8 * eps * fmax / np.outer(hs, hs)
    error = 2 * trunc + 2 * roundoff
    per_call = n * n + n + 1
    return HessianEstimate(r1, error, float(np.linalg.norm(error)), 3 * per_call)
