"""Finite-difference derivatives: slope from nothing but evaluations of ``f``.

Every routine here works in float64 (float32 input stays float32) and picks, when ``h`` is
``None``, the step that balances truncation error against round-off for its method,
scaled by ``max(1, |x|)`` so that the step stays meaningful far from the origin (except
the complex step, which has no round-off to balance and is never scaled):

============  ===================  ==========================  ====================
method        formula              best step ``h*``            best relative error
============  ===================  ==========================  ====================
forward       (f(x+h) - f(x))/h    sqrt(eps) ≈ 1.5e-8          sqrt(eps) ≈ 1.5e-8
backward      (f(x) - f(x-h))/h    sqrt(eps) ≈ 1.5e-8          sqrt(eps) ≈ 1.5e-8
central       (f(x+h)-f(x-h))/2h   eps**(1/3) ≈ 6.1e-6         eps**(2/3) ≈ 3.7e-11
complex       Im f(x+ih) / h       eps ≈ 2.2e-16 (any tiny h)  eps ≈ 2.2e-16
============  ===================  ==========================  ====================

The Jacobian of ``f: R^n -> R^m`` is the ``(m, n)`` matrix whose row ``i`` is the gradient
of output ``i``: rows are outputs, columns are inputs. This convention holds everywhere
in slopebook, in code and in text.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook import numerical_warnings as nw
from slopebook._validation import as_point, as_vector, check_callable, check_step, one_of

__all__ = [
    "METHODS",
    "default_step",
    "derivative",
    "directional_derivative",
    "gradient",
    "hessian",
    "jacobian",
]

Method = Literal["forward", "backward", "central", "complex"]
METHODS: tuple[str, ...] = ("forward", "backward", "central", "complex")

#: With ``vectorized=True``, points go to ``f`` in blocks of about this many numbers
#: (256 kB of float64): ``f``'s temporaries then stay in the CPU's cache. For Rosenbrock
#: at n = 1000 a block of 32 points costs 2 us a point; of 131 points (2**17 numbers), 8 us.
CHUNK_NUMBERS = 2**15

#: Tolerance on ``|u| - 1`` below which a direction counts as a unit vector.
UNIT_TOLERANCE = 1e-9


def _check_method(method: Any, allowed: tuple[str, ...] = METHODS) -> str:
    return one_of(method, allowed, "method")


def default_step(method: str, dtype: Any = np.float64) -> float:
    """Return the step, relative to ``max(1, |x|)``, that theory says is best.

    Parameters
    ----------
    method : {"forward", "backward", "central", "complex", "second"}
        The difference formula; ``"second"`` is the central second difference used
        by :func:`hessian`.
    dtype : numpy dtype, optional
        The floating-point type the differences are computed in.

    Returns
    -------
    float
        ``sqrt(eps)`` for one-sided differences, ``eps**(1/3)`` for central,
        ``eps**(1/4)`` for second differences and ``eps`` for the complex step.

    Examples
    --------
    >>> default_step("forward")
    1.49011...e-08
    >>> default_step("central")
    6.05545...e-06
    >>> default_step("central", np.float32)
    0.0049...
    """
    _check_method(method, (*METHODS, "second"))
    eps = float(np.finfo(dtype).eps)
    return {
        "forward": eps**0.5,
        "backward": eps**0.5,
        "central": eps ** (1 / 3),
        "second": eps**0.25,
        "complex": eps,
    }[method]


def _call_quietly(f: Callable[..., Any], arg: Any) -> Any:
    """Call ``f`` with numpy's floating-point warnings silenced: non-finite values are
    reported once, by name, by :func:`~slopebook.numerical_warnings.check_finite`."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        return f(arg)


def _call_complex(f: Callable[..., Any], arg: Any, routine: str) -> tuple[Any, bool]:
    """Call ``f`` at complex points; a cast of complex to real is a non-analytic ``f``.

    Returns the output and whether a :class:`~slopebook.NonAnalyticWarning` was issued.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = _call_quietly(f, arg)
    return out, _complex_verdict(caught, out, routine)


def _complex_verdict(caught: list[warnings.WarningMessage], out: Any, routine: str) -> bool:
    """Judge what ``f`` did with complex input: warn (and return True) if it cast the
    input to real (numpy's ComplexWarning) or returned real values. Warnings that are not
    numpy's ComplexWarning are passed on."""
    cast, passed = False, set()
    for w in caught:
        if issubclass(w.category, np.exceptions.ComplexWarning):
            cast = True
        elif (key := (w.category, str(w.message), w.filename, w.lineno)) not in passed:
            passed.add(key)  # not ours to swallow, but once is enough
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if cast:
        nw.non_analytic(routine, "f cast a complex number to real (numpy ComplexWarning)")
        return True
    if np.asarray(out).dtype.kind != "c":
        nw.non_analytic(
            routine,
            f"f returned {np.asarray(out).dtype} values for complex input, so the "
            "imaginary part that carries the derivative was discarded (abs? .real?)",
        )
        return True
    return False


def _evaluate(f: Callable[..., Any], arg: Any, shape: tuple[int, ...], what: str) -> NDArray:
    """Call ``f(arg)`` and insist that the result has ``shape`` (elementwise use)."""
    out = np.asarray(_call_quietly(f, arg))
    if out.shape != shape:
        msg = f"f must {what}; for input of shape {np.shape(arg)} it returned shape {out.shape}"
        raise ValueError(msg)
    if out.dtype.kind not in "biufc":
        msg = f"f must return numbers, got dtype {out.dtype}"
        raise TypeError(msg)
    return out


def _steps(x: NDArray, method: str, h: Any) -> NDArray:
    """Steps for each entry of ``x``, rounded so that ``x + h`` is exactly representable."""
    if h is None and method == "complex":
        # No cancellation, so no need to scale with |x|; a large imaginary step would
        # overflow (cosh(2e4) for sin at 1e20).
        h = default_step(method, x.dtype)
    elif h is None:
        h = default_step(method, x.dtype) * np.maximum(1.0, np.abs(x))
    h = np.broadcast_to(np.asarray(h, dtype=x.dtype), x.shape)
    if method == "complex":
        return h.copy()
    # (x + h) - x is the step the computer really takes; dividing by it removes one
    # source of round-off error (Numerical Recipes, section 5.7).
    return np.where((x + h) - x > 0, (x + h) - x, h)


def _check_steps(x: NDArray, method: str, h: Any, routine: str) -> NDArray:
    """:func:`_steps`, with a named warning when a requested step is below the spacing."""
    steps = _steps(x, method, h)
    if h is not None and method != "complex":
        requested = np.broadcast_to(np.asarray(h, dtype=x.dtype), x.shape)
        nw.check_spacing(x, requested, (x + requested) - x, routine)
    return steps


def _difference(
    call: Callable[[NDArray], NDArray],
    x: NDArray,
    h: NDArray,
    method: str,
    f0: NDArray | None = None,
) -> NDArray:
    """Apply one difference formula to ``call`` at ``x`` with steps ``h``.

    ``h`` broadcasts against the output of ``call``; ``f0`` (``call(x)``) is reused when
    the caller already has it.
    """
    if method == "central":
        return (call(x + h) - call(x - h)) / (2 * h)
    if method == "complex":
        return np.imag(call(x + 1j * h)) / h
    if f0 is None:
        f0 = call(x)
    if method == "forward":
        return (call(x + h) - f0) / h
    return (f0 - call(x - h)) / h


def _suspicious(f0: NDArray, fp: NDArray, fm: NDArray, h: NDArray) -> NDArray:
    """Cheap first test: is the gap between right and left slopes more than curvature?

    For a smooth ``f`` at a generic point, ``|f(x+h) + f(x-h) - 2 f(x)| / 2h = h|f''|/2``
    is tiny next to the slope. Only points that fail this test get two more evaluations.
    """
    eps = nw.eps_of(fp)
    even = np.abs(fp + fm - 2 * f0) / (2 * h)
    central = np.abs(fp - fm) / (2 * h)
    noise = 64 * eps * (np.abs(fp) + np.abs(fm) + 2 * np.abs(f0)) / (2 * h)
    finite = np.isfinite(fp) & np.isfinite(fm) & np.isfinite(f0)
    return finite & (even > np.maximum(noise, 1e-3 * central))


def _finer(
    call: Callable[[NDArray], NDArray], x: NDArray, h: NDArray
) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Values at ``x ± h/4`` and ``x ± h/16`` (steps rounded to representable ones)."""
    h2 = (x + h / 4) - x
    h3 = (x + h / 16) - x
    return call(x + h2), call(x - h2), h2, call(x + h3), call(x - h3), h3


def _central_checks(
    call: Callable[[NDArray], NDArray],
    x: NDArray,
    h: NDArray,
    fp: NDArray,
    fm: NDArray,
    routine: str,
) -> None:
    """Kink and resolution checks for an elementwise central difference (1-3 more calls)."""
    f0 = call(x)
    nw.check_finite(np.stack([fp, fm, f0]), x, routine)
    sus = _suspicious(f0, fp, fm, h)
    if not np.any(sus):
        return
    xs, hs = x[sus], h[sus]
    more = _finer(call, xs, hs)
    kink, unresolved = nw.kink_test(f0[sus], fp[sus], fm[sus], hs, more)
    if np.any(kink):
        left = (f0[sus] - fm[sus]) / hs
        right = (fp[sus] - f0[sus]) / hs
        nw.warn_kink(xs, left, right, kink, routine)
    if np.any(unresolved):
        nw.warn_unresolved(xs, unresolved, float(np.max(hs[unresolved])), routine)


def _complex_checks(
    call: Callable[[NDArray], NDArray],
    x: NDArray,
    out: NDArray,
    routine: str,
) -> None:
    """Compare the complex step with a central difference (three real evaluations).

    A complex-analytic ``f`` gives the same slope both ways. A kink (``relu`` at 0, where
    numpy's lexicographic ``maximum`` of complex numbers picks a side) or a disagreement
    beyond the central difference's own error means ``f`` is not analytic there. Where
    the central difference itself cannot resolve ``f`` (``sin`` at ``1e20``, where the
    complex step is the right tool), no verdict is given.
    """
    hc = _steps(x, "central", None)
    fp, fm, f0 = call(x + hc), call(x - hc), call(x)
    eps = nw.eps_of(fp)
    central = (fp - fm) / (2 * hc)
    noise = 64 * eps * (np.abs(fp) + np.abs(fm)) / (2 * hc)
    scale = np.maximum(np.abs(central), np.abs(out))
    bad = np.abs(out - central) > 1e-5 * scale + noise
    sus = _suspicious(f0, fp, fm, hc) | bad
    if np.any(sus):
        xs, hs = x[sus], hc[sus]
        more = _finer(call, xs, hs)
        fp2, fm2, h2 = more[:3]
        kink, unresolved = nw.kink_test(f0[sus], fp[sus], fm[sus], hs, more)
        # Truncation error of the central difference shrinks 16 times when h shrinks 4
        # times; a genuine disagreement does not.
        gap = np.abs(out[sus] - central[sus])
        converging = np.abs(out[sus] - (fp2 - fm2) / (2 * h2)) <= 0.5 * gap
        bad = np.array(bad, copy=True)
        bad[sus] = kink | (bad[sus] & ~unresolved & ~converging)
    if np.any(bad):
        where = nw._where(x, bad)
        nw.non_analytic(
            routine,
            f"at {where} it gives a slope that a central difference does not confirm "
            "(a kink, or a function that treats the imaginary part as data)",
        )


def derivative(
    f: Callable[[Any], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
) -> NDArray[np.floating] | float:
    """Derivative of a one-variable function at one point or at many points at once.

    Parameters
    ----------
    f : callable
        A function of one real variable that works elementwise on numpy arrays
        (``np.sin``, ``lambda x: x**2``, ...). For ``method="complex"`` it must also
        accept complex input and be complex-analytic (no ``abs``, ``max`` or comparisons).
    x : float or array_like
        Where to take the derivative. An array is handled in one vectorised call.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula; :func:`default_step` lists the step each one uses.
    h : float, array_like or None, default None
        The step. ``None`` picks the theoretically best step for the method, scaled by
        ``max(1, |x|)`` (the complex step ``eps`` is not scaled).

    Returns
    -------
    float or ndarray
        ``f'(x)``, with the shape of ``x`` (a float for a scalar ``x``).

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not real.
    ValueError
        If ``x`` is not finite, ``h <= 0``, ``method`` is unknown, or ``f`` does not
        return one value per input.

    Warns
    -----
    KinkWarning
        (central) Left and right slopes disagree: ``relu`` or ``abs`` at 0. The central
        difference costs one more evaluation, ``f(x)``, for this check, and points whose
        one-sided slopes differ by more than curvature explains get four more.
    StepSizeWarning
        A given ``h`` is below the spacing of doubles at ``x``, or ``f`` changes on a
        scale shorter than the step (``sin`` at ``1e20``).
    NonAnalyticWarning
        (complex) ``f`` is not complex-analytic: it returned real values, cast complex to
        real, or disagrees with a central difference (checked for small steps).
    NonFiniteWarning
        ``f`` is ``nan`` or ``inf`` at a probed point.
    PrecisionWarning
        ``x`` is float32.

    Examples
    --------
    The slope of ``x**2`` is ``2x``:

    >>> derivative(lambda x: x**2, [3.0, 0.0, -2.0])
    array([ 6.,  0., -4.])

    The complex step has no subtractive cancellation, so it is exact to the last digit:

    >>> print(derivative(np.sin, 1.0, method="complex") == np.cos(1.0))
    True
    """
    f = check_callable(f)
    method = _check_method(method)
    xa = as_point(x)
    routine = "derivative"
    nw.check_precision(xa, routine)
    hreq = check_step(h)
    steps = _check_steps(xa, method, hreq, routine)

    def call(arg: Any) -> NDArray:
        return _evaluate(f, arg, np.shape(arg), "act elementwise: one output per input")

    if method == "complex":
        raw, flagged = _call_complex(f, xa + 1j * steps, routine)
        fz = np.asarray(raw)
        if fz.shape != xa.shape:
            msg = f"f must act elementwise: one output per input; got shape {fz.shape}"
            raise ValueError(msg)
        nw.check_finite(fz[None], xa, routine)
        out = np.imag(fz) / steps
        # With a large imaginary step the complex step has its own truncation error
        # (h**2 f'(3)/6) and need not agree with a central difference: check small steps.
        small = steps <= np.sqrt(nw.eps_of(xa)) * np.maximum(1.0, np.abs(xa))
        if not flagged and np.any(small):
            _complex_checks(call, xa[small], np.asarray(out)[small], routine)
    elif method == "central":
        fp, fm = call(xa + steps), call(xa - steps)
        out = (fp - fm) / (2 * steps)
        _central_checks(call, xa, steps, fp, fm, routine)
    else:
        f0 = call(xa)
        other = call(xa + steps) if method == "forward" else call(xa - steps)
        nw.check_finite(np.stack([f0, other]), xa, routine)
        out = (other - f0) / steps if method == "forward" else (f0 - other) / steps
    out = np.asarray(np.real(out), dtype=xa.dtype)
    return float(out) if out.ndim == 0 else out


def _batch(
    f: Callable[[Any], Any],
    x: NDArray,
    idx: NDArray,
    delta: NDArray,
    shape: tuple[int, ...],
    vectorized: bool,
    routine: str,
) -> NDArray:
    """Values of ``f`` at ``k`` points near ``x``, as an array of shape ``(k, m)``.

    Point ``r`` is ``x`` with ``delta[r, c]`` added to entry ``idx[r, c]`` (``idx`` and
    ``delta`` have shape ``(k, c)``: ``c = 1`` for a gradient, 2 for a Hessian). Points are
    never all materialised unless ``vectorized``, in which case ``f`` is called once on the
    ``(n, k)`` array whose columns are the points and must return ``(k,)`` or ``(m, k)``.
    """
    k = idx.shape[0]
    m = int(np.prod(shape))
    complex_input = delta.dtype.kind == "c"
    base = x.astype(complex) if complex_input else x
    if vectorized:
        chunk = max(1, min(k, CHUNK_NUMBERS // max(1, x.size)))
        parts = [
            _batch_vectorized(f, base, idx[a : a + chunk], delta[a : a + chunk], m, routine)
            for a in range(0, k, chunk)
        ]
        return np.concatenate(parts)
    if complex_input:  # one watch over all calls: did f cast complex to real?
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = _batch_loop(f, base, idx, delta, shape)
        _complex_verdict(caught, out, routine)
        return out
    return _batch_loop(f, x, idx, delta, shape)


def _batch_loop(
    f: Callable[[Any], Any], x: NDArray, idx: NDArray, delta: NDArray, shape: tuple[int, ...]
) -> NDArray:
    """:func:`_batch` one call of ``f`` per point, for points that differ from ``x`` in
    one or two entries: the hot loop of a large gradient, Jacobian or Hessian, with as
    little Python per call as possible. Each point is a fresh copy, so ``f`` may keep or
    modify what it is given."""
    k, m = idx.shape[0], int(np.prod(shape))
    first = idx[:, 0]
    if idx.shape[1] == 1:
        pairs = None
        values = (x[first] + delta[:, 0]).tolist()
    elif idx.shape[1] == 2:
        second = idx[:, 1]
        same = first == second  # a diagonal point: both steps go to one entry
        values = (x[first] + delta[:, 0] + np.where(same, delta[:, 1], 0)).tolist()
        pairs = list(zip(second.tolist(), (x[second] + delta[:, 1]).tolist(), strict=True))
    else:  # pragma: no cover - no routine perturbs more than two entries
        msg = f"points must differ from x in one or two entries, not {idx.shape[1]}"
        raise ValueError(msg)
    entries = first.tolist()
    results: list[Any] = []
    append, copy = results.append, x.copy
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if pairs is None:
            for i, v in zip(entries, values, strict=True):
                p = copy()
                p[i] = v
                append(f(p))
        else:
            for i, v, (j, w) in zip(entries, values, pairs, strict=True):
                p = copy()
                p[j] = w
                p[i] = v  # last, so that it wins where i == j
                append(f(p))
    try:
        out = np.asarray(results)
    except ValueError:  # ragged: some calls returned other shapes than others
        out = np.empty(0, dtype=object)
    if out.shape != (k, *shape):
        shapes = sorted({np.shape(r) for r in results}, key=str)
        msg = (
            f"f must return the same shape at every point, {shape} as at x; "
            f"near x it returned shapes {shapes}"
        )
        raise ValueError(msg)
    if out.dtype.kind not in "biufc":
        msg = f"f must return numbers, got dtype {out.dtype}"
        raise TypeError(msg)
    if x.dtype.kind == "f" and out.dtype.kind == "c":
        msg = f"f must return real numbers for real input, got dtype {out.dtype}"
        raise TypeError(msg)
    out = out.reshape(k, m)
    # Complex input: keep what f returned, real or not, for _complex_verdict to judge.
    return out if x.dtype.kind == "c" else out.astype(x.dtype, copy=False)


def _batch_vectorized(
    f: Callable[[Any], Any], base: NDArray, idx: NDArray, delta: NDArray, m: int, routine: str
) -> NDArray:
    """One call of a vectorized ``f`` on the ``(n, k)`` array of points; ``(k, m)`` out."""
    k = idx.shape[0]
    pts = np.repeat(base[:, None], k, axis=1)
    cols = np.arange(k)
    for c in range(idx.shape[1]):
        pts[idx[:, c], cols] += delta[:, c]
    if delta.dtype.kind == "c":
        raw, _ = _call_complex(f, pts, routine)
    else:
        raw = _call_quietly(f, pts)
    out = np.asarray(raw)
    if out.shape not in ((k,), (m, k)) or (out.shape == (k,) and m != 1):
        msg = (
            f"with vectorized=True, f must map an (n, k) array of k points to shape "
            f"(k,) or (m, k); for k = {k} it returned shape {out.shape}"
        )
        raise ValueError(msg)
    return out.reshape(m, k).T


def _partials(
    f: Callable[[Any], Any],
    x: NDArray,
    method: str,
    h: Any,
    *,
    scalar: bool,
    vectorized: bool = False,
    routine: str = "gradient",
    check_kinks: bool = False,
) -> NDArray:
    """Matrix of partial derivatives ``d out_i / d x_j``, shape ``(m, n)``.

    All perturbed points are evaluated in one batch (one call of ``f`` when
    ``vectorized``); the kink check costs ``f(x)``, which is needed anyway to learn the
    output shape, and four more points only for suspicious columns.
    """
    n = x.size
    nw.check_precision(x, routine)
    f0 = np.asarray(_call_quietly(f, x[:, None] if vectorized else x.copy()))
    if vectorized:
        f0 = f0.reshape(f0.shape[:-1]) if f0.ndim and f0.shape[-1] == 1 else f0
    if scalar and f0.size != 1:
        msg = (
            f"f must return a scalar (one number) here, got shape {f0.shape}; "
            "for a vector-valued f use slopebook.jacobian"
        )
        raise ValueError(msg)
    if f0.ndim > 1:
        msg = f"f must return a scalar or a 1-D vector, got shape {f0.shape}; flatten it"
        raise ValueError(msg)
    shape = f0.shape
    f0v = f0.reshape(-1)
    steps = _check_steps(x, method, h, routine)
    j = np.arange(n)[:, None]
    if method == "complex":
        vals = _batch(f, x, j, 1j * steps[:, None], shape, vectorized, routine)  # (n, m)
        nw.check_finite(vals.T[None], np.broadcast_to(x, vals.T.shape), routine)
        return np.real(np.imag(vals) / steps[:, None]).T.astype(x.dtype)
    if method == "central":
        idx = np.concatenate([j, j])
        delta = np.concatenate([steps, -steps])[:, None]
        vals = _batch(f, x, idx, delta, shape, vectorized, routine)
        fp, fm = vals[:n].T, vals[n:].T  # (m, n)
        cols = (fp - fm) / (2 * steps)
        nw.check_finite(np.stack([fp, fm]), np.broadcast_to(x, fp.shape), routine)
        if check_kinks:
            _partial_kink_check(f, x, steps, f0v, fp, fm, shape, vectorized, routine)
        return cols.astype(x.dtype)
    sign = 1.0 if method == "forward" else -1.0
    other = _batch(f, x, j, sign * steps[:, None], shape, vectorized, routine).T
    nw.check_finite(other[None], np.broadcast_to(x, other.shape), routine)
    return (sign * (other - f0v[:, None]) / steps).astype(x.dtype)


def _partial_kink_check(
    f: Callable[[Any], Any],
    x: NDArray,
    steps: NDArray,
    f0: NDArray,
    fp: NDArray,
    fm: NDArray,
    shape: tuple[int, ...],
    vectorized: bool,
    routine: str,
) -> None:
    """:func:`_central_checks` for partial derivatives: four more points per suspicious column."""
    f0c = f0[:, None]
    sus = np.any(_suspicious(f0c, fp, fm, steps), axis=0)
    if not np.any(sus):
        return
    cols = np.flatnonzero(sus)
    hs = steps[cols]
    c = cols.size
    h2 = (x[cols] + hs / 4) - x[cols]
    h3 = (x[cols] + hs / 16) - x[cols]
    idx = np.tile(cols, 4)[:, None]
    delta = np.concatenate([h2, -h2, h3, -h3])[:, None]
    v = _batch(f, x, idx, delta, shape, vectorized, routine).T
    more = (v[:, :c], v[:, c : 2 * c], h2, v[:, 2 * c : 3 * c], v[:, 3 * c :], h3)
    kink, unresolved = nw.kink_test(f0c, fp[:, cols], fm[:, cols], hs, more)
    xb = np.broadcast_to(x[cols], kink.shape)
    if np.any(kink):
        left = (f0c - fm[:, cols]) / hs
        right = (fp[:, cols] - f0c) / hs
        which = cols[np.any(kink, axis=0)].tolist()
        nw.warn_kink(xb, left, right, kink, f"{routine} (partial derivatives {which})")
    if np.any(unresolved):
        nw.warn_unresolved(xb, unresolved, float(np.max(hs)), routine)


def gradient(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
    check_kinks: bool = False,
) -> NDArray[np.floating]:
    """Gradient of a scalar function of ``n`` variables: all ``n`` partial derivatives.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula used for each partial derivative.
    h : float, array_like of shape (n,) or None, default None
        Step(s); ``None`` picks the best step per component, scaled by ``max(1, |x_i|)``.
    vectorized : bool, default False
        If True, ``f`` accepts an ``(n, k)`` array whose columns are ``k`` points and
        returns their ``k`` values; all ``2n`` perturbed points then go in one call,
        which for large ``n`` is much faster than ``2n`` separate calls.
    check_kinks : bool, default False
        Also look for kinks (``relu``/``abs`` at the point): coordinates whose left and
        right slopes differ more than curvature explains get four more evaluations to
        tell a kink (:class:`~slopebook.KinkWarning`) from a smooth bend. Off by default
        so that a central gradient costs exactly ``2n + 1`` evaluations; the cheap checks
        (non-finite values, steps below the spacing of doubles, complex step through a
        non-analytic ``f``, float32) always run.

    Returns
    -------
    ndarray, shape (n,)
        ``[df/dx_1, ..., df/dx_n]``, pointing uphill.

    Raises
    ------
    ValueError
        If ``f`` returns more than one number (use :func:`jacobian`), or for the bad
        inputs listed under :func:`derivative`.

    Examples
    --------
    The bowl ``x**2 + y**2`` at ``(3, 4)``:

    >>> gradient(lambda p: p[0]**2 + p[1]**2, [3.0, 4.0])
    array([6., 8.])
    """
    f = check_callable(f)
    method = _check_method(method)
    xa = as_vector(x)
    return _partials(
        f,
        xa,
        method,
        check_step(h),
        scalar=True,
        vectorized=vectorized,
        routine="gradient",
        check_kinks=check_kinks,
    )[0]


def jacobian(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
    check_kinks: bool = False,
) -> NDArray[np.floating]:
    """Jacobian matrix of ``f: R^n -> R^m``: shape ``(m, n)``, **rows are outputs**.

    Row ``i`` is the gradient of output ``f_i``; column ``j`` is how every output moves
    when input ``x_j`` is nudged. It is built one column (one input) at a time, with two
    evaluations of ``f`` per column for the central difference.

    Parameters
    ----------
    f : callable
        ``f(x) -> array of shape (m,)`` (a scalar counts as ``m = 1``).
    x : array_like, shape (n,)
        The point.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula.
    h : float, array_like of shape (n,) or None, default None
        Step(s), as in :func:`gradient`.
    vectorized : bool, default False
        If True, ``f`` maps an ``(n, k)`` array of ``k`` points to ``(m, k)``, and every
        perturbed point is evaluated in one call.
    check_kinks : bool, default False
        Look for kinks as in :func:`gradient` (up to four more evaluations per input).

    Returns
    -------
    ndarray, shape (m, n)
        ``J[i, j] = d f_i / d x_j``.

    Examples
    --------
    ``f(x, y) = (x**2 y, x + y**3)`` at ``(2, 3)``:

    >>> J = jacobian(lambda p: np.array([p[0]**2 * p[1], p[0] + p[1]**3]), [2.0, 3.0])
    >>> J.round(6)
    array([[12.,  4.],
           [ 1., 27.]])
    >>> J.shape  # (outputs, inputs)
    (2, 2)
    """
    f = check_callable(f)
    method = _check_method(method)
    xa = as_vector(x)
    return _partials(
        f,
        xa,
        method,
        check_step(h),
        scalar=False,
        vectorized=vectorized,
        routine="jacobian",
        check_kinks=check_kinks,
    )


def hessian(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
) -> NDArray[np.floating]:
    """Hessian of a scalar function: the symmetric ``(n, n)`` matrix of second derivatives.

    Second differences at steps ``h`` and ``2h`` are combined by one Richardson step,
    ``(4 H(h) - H(2h)) / 3``, which cancels their ``h²`` truncation error; the default
    ``h = eps**(1/6) * max(1, |x_i|)`` (about ``2.5e-3``) balances the remaining ``h⁴``
    error against round-off near ``eps**(2/3)``. Each second difference needs
    ``n² + n + 1`` evaluations (off-diagonal entries use only ``f(x ± (h_i e_i + h_j e_j))``
    plus the diagonal's points). Only the upper triangle is computed, so the result is
    exactly symmetric. :func:`slopebook.hessian_estimate` adds an error estimate.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    h : float, array_like of shape (n,) or None, default None
        The smaller of the two steps; ``None`` picks the best.
    vectorized : bool, default False
        If True, ``f`` maps an ``(n, k)`` array of ``k`` points to ``(k,)`` values, and
        the points are evaluated in a few large calls instead of ``2n²`` small ones.

    Returns
    -------
    ndarray, shape (n, n)
        ``H[i, j] = d^2 f / dx_i dx_j``.

    Examples
    --------
    The saddle ``x**2 - y**2`` curves up along x and down along y:

    >>> hessian(lambda p: p[0]**2 - p[1]**2, [0.0, 0.0]).round(6)
    array([[ 2.,  0.],
           [ 0., -2.]])
    """
    f = check_callable(f)
    xa = as_vector(x)
    nw.check_precision(xa, "hessian")
    step = check_step(h)
    hs = _hessian_steps(xa, step)
    if step is not None:
        requested = np.broadcast_to(np.asarray(step, dtype=xa.dtype), xa.shape)
        nw.check_spacing(xa, requested, (xa + requested) - xa, "hessian")
    h1, _ = _hessian_values(f, xa, hs, vectorized, "hessian")
    h2, _ = _hessian_values(f, xa, _steps(xa, "central", 2 * hs), vectorized, "hessian")
    return (4 * h1 - h2) / 3


def _hessian_steps(x: NDArray, step: Any) -> NDArray:
    if step is None:
        step = np.finfo(x.dtype).eps ** (1 / 6) * np.maximum(1.0, np.abs(x))
    return _steps(x, "central", step)


def _hessian_values(
    f: Callable[[Any], Any], x: NDArray, hs: NDArray, vectorized: bool, routine: str
) -> tuple[NDArray, float]:
    """One second-difference Hessian at steps ``hs``; returns ``(H, max |f|)``.

    ``H_ii = (f(x + h_i e_i) - 2 f(x) + f(x - h_i e_i)) / h_i²`` and, with
    ``v = h_i e_i + h_j e_j``, ``H_ij = (f(x + v) + f(x - v) - f(x ± h_i e_i)
    - f(x ± h_j e_j) + 2 f(x)) / (2 h_i h_j)``: both ``H + O(h²)`` with only even powers
    of ``h``, so Richardson extrapolation applies. ``n² + n + 1`` evaluations.
    """
    n = x.size
    f0 = np.asarray(_call_quietly(f, x[:, None] if vectorized else x.copy()))
    if f0.size != 1:
        msg = f"f must return a scalar (one number) for a Hessian, got shape {f0.shape}"
        raise ValueError(msg)
    f0 = float(f0.reshape(()))
    iu, ju = np.triu_indices(n, 1)
    j = np.arange(n)
    idx = np.concatenate([j, j, iu, iu])[:, None]
    idx = np.concatenate([idx, np.concatenate([j, j, ju, ju])[:, None]], axis=1)
    zero = np.zeros(n, dtype=x.dtype)
    delta = np.stack(
        [
            np.concatenate([hs, -hs, hs[iu], -hs[iu]]),
            np.concatenate([zero, zero, hs[ju], -hs[ju]]),
        ],
        axis=1,
    )
    vals = _batch(f, x, idx, delta, (), vectorized, routine)[:, 0]
    k = iu.size
    fp, fm = vals[:n], vals[n : 2 * n]
    pp, mm = vals[2 * n : 2 * n + k], vals[2 * n + k :]
    if not (np.all(np.isfinite(vals)) and np.isfinite(f0)):
        nw.check_finite(np.full((1, n), np.nan), x, routine)
    H = np.empty((n, n), dtype=x.dtype)
    H[j, j] = (fp - 2 * f0 + fm) / hs**2
    off = (pp + mm - fp[iu] - fm[iu] - fp[ju] - fm[ju] + 2 * f0) / (2 * hs[iu] * hs[ju])
    H[iu, ju] = off
    H[ju, iu] = off
    return H, float(np.max(np.abs(np.append(vals, f0))))


def directional_derivative(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    u: ArrayLike,
    *,
    normalize: bool = False,
    method: Method = "central",
    h: float | None = None,
) -> float:
    """Slope of ``f`` at ``x`` per unit distance walked in direction ``u``: ``∇f · u``.

    The derivative of ``f`` along a vector ``v``, ``D_v f(x) = d/dt f(x + t v)`` at
    ``t = 0``, is defined for any ``v`` and is linear in ``v``: for a differentiable ``f``
    it is ``∇f · v``, and doubling ``v`` doubles it. It is the slope of the ground, the
    change of ``f`` per unit distance, only when ``v`` is a unit vector, and that slope is
    what this routine returns. So a ``u`` whose length is not 1 is refused rather than
    answered with a number scaled by ``|u|``, unless ``normalize=True`` asks for ``u`` to be
    divided by its length first. (For ``∇f · v`` along an arbitrary ``v``, a Jacobian-vector
    product, use :func:`slopebook.autodiff.jvp`.)

    The slope is computed directly as the derivative of ``t -> f(x + t u)`` at ``t = 0``:
    two evaluations of ``f`` for the central difference, whatever ``n`` is.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    u : array_like, shape (n,)
        The direction; must have length 1 unless ``normalize=True``.
    normalize : bool, default False
        Divide ``u`` by its length first.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula.
    h : float or None, default None
        Step along ``u``; ``None`` picks the best, scaled by ``max(1, max|x_i|)``.

    Returns
    -------
    float
        ``D_u f(x)``.

    Raises
    ------
    ValueError
        If ``u`` has the wrong shape, is zero, or is not a unit vector while
        ``normalize`` is False.

    Examples
    --------
    On the bowl ``x**2 + y**2`` at ``(3, 4)``, walking north-east:

    >>> bowl = lambda p: p[0]**2 + p[1]**2
    >>> directional_derivative(bowl, [3.0, 4.0], [1.0, 1.0], normalize=True)
    9.899494...
    >>> directional_derivative(bowl, [3.0, 4.0], [1.0, 1.0])
    Traceback (most recent call last):
    ...
    ValueError: u must be a unit vector for a slope per unit distance, but |u| = 1.41421...
    """
    f = check_callable(f)
    method = _check_method(method)
    xa = as_vector(x)
    ua = as_vector(u, "u").astype(xa.dtype)
    if ua.shape != xa.shape:
        msg = f"u must have the same shape as x, {xa.shape}, got {ua.shape}"
        raise ValueError(msg)
    length = float(np.linalg.norm(ua))
    if length == 0.0:
        msg = "u must not be the zero vector: a direction needs a length; pick a nonzero u"
        raise ValueError(msg)
    if normalize:
        ua = ua / length
    elif abs(length - 1.0) > UNIT_TOLERANCE:
        msg = (
            f"u must be a unit vector for a slope per unit distance, but |u| = {length:.6g}; "
            "the derivative along any v is ∇f · v, which scales with |v|. Pass "
            "u / np.linalg.norm(u) or normalize=True for the slope, or use "
            "slopebook.autodiff.jvp for ∇f · v itself"
        )
        raise ValueError(msg)
    step = check_step(h)
    if step is None and method == "complex":
        step = default_step(method, xa.dtype)
    elif step is None:
        step = default_step(method, xa.dtype) * max(1.0, float(np.max(np.abs(xa))))
    if np.ndim(step):
        msg = "h must be a single positive number for a directional derivative"
        raise ValueError(msg)
    if method == "complex":
        ua = ua.astype(complex)

    def along(t: Any) -> NDArray:
        out = np.asarray(f(xa + t * ua))
        if out.size != 1:
            msg = (
                f"f must return a scalar (one number) here, got shape {out.shape}; "
                "for a vector-valued f use slopebook.autodiff.jvp"
            )
            raise ValueError(msg)
        return out.reshape(())

    return float(np.real(_difference(along, 0.0, np.float64(step), method)))
