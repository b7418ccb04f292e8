"""Evaluating ``f`` near ``x``: one point at a time, or many points in one vectorized call.

Every finite difference needs ``f`` at points that differ from ``x`` in one or two entries.
:func:`batch` gets all of them for a gradient, Jacobian or Hessian: a tight loop of
calls for a plain ``f``, or blocks of points as the columns of one array for a vectorized
``f``. numpy's floating-point warnings are silenced while ``f`` runs; non-finite values are
reported once, by name, by :func:`~slopebook.numerical_warnings.check_finite`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slopebook import numerical_warnings as nw

__all__ = ["CHUNK_NUMBERS", "batch", "call_complex", "call_quietly", "complex_verdict", "evaluate"]

#: With ``vectorized=True``, points go to ``f`` in blocks of about this many numbers
#: (256 kB of float64): ``f``'s temporaries then stay in the CPU's cache. For Rosenbrock
#: at n = 1000 a block of 32 points costs 2 us a point; of 131 points (2**17 numbers), 8 us.
CHUNK_NUMBERS = 2**15


def call_quietly(f: Callable[..., Any], arg: Any) -> Any:
    """Call ``f`` with numpy's floating-point warnings silenced: non-finite values are
    reported once, by name, by :func:`~slopebook.numerical_warnings.check_finite`."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        return f(arg)


def call_complex(f: Callable[..., Any], arg: Any, routine: str) -> tuple[Any, bool]:
    """Call ``f`` at complex points; a cast of complex to real is a non-analytic ``f``.

    Returns the output and whether a :class:`~slopebook.NonAnalyticWarning` was issued.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call_quietly(f, arg)
    return out, complex_verdict(caught, out, routine)


def complex_verdict(caught: list[warnings.WarningMessage], out: Any, routine: str) -> bool:
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


def evaluate(f: Callable[..., Any], arg: Any, shape: tuple[int, ...], what: str) -> NDArray:
    """Call ``f(arg)`` and insist that the result has ``shape`` (elementwise use)."""
    out = np.asarray(call_quietly(f, arg))
    if out.shape != shape:
        msg = f"f must {what}; for input of shape {np.shape(arg)} it returned shape {out.shape}"
        raise ValueError(msg)
    if out.dtype.kind not in "biufc":
        msg = f"f must return numbers, got dtype {out.dtype}"
        raise TypeError(msg)
    return out


def batch(
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
            _vectorized(f, base, idx[a : a + chunk], delta[a : a + chunk], m, routine)
            for a in range(0, k, chunk)
        ]
        return np.concatenate(parts)
    if complex_input:  # one watch over all calls: did f cast complex to real?
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = _loop(f, base, idx, delta, shape)
        complex_verdict(caught, out, routine)
        return out
    return _loop(f, x, idx, delta, shape)


def _loop(
    f: Callable[[Any], Any], x: NDArray, idx: NDArray, delta: NDArray, shape: tuple[int, ...]
) -> NDArray:
    """:func:`batch` one call of ``f`` per point, for points that differ from ``x`` in
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
    # Complex input: keep what f returned, real or not, for complex_verdict to judge.
    return out if x.dtype.kind == "c" else out.astype(x.dtype, copy=False)


def _vectorized(
    f: Callable[[Any], Any], base: NDArray, idx: NDArray, delta: NDArray, m: int, routine: str
) -> NDArray:
    """One call of a vectorized ``f`` on the ``(n, k)`` array of points; ``(k, m)`` out."""
    k = idx.shape[0]
    pts = np.repeat(base[:, None], k, axis=1)
    cols = np.arange(k)
    for c in range(idx.shape[1]):
        pts[idx[:, c], cols] += delta[:, c]
    if delta.dtype.kind == "c":
        raw, _ = call_complex(f, pts, routine)
    else:
        raw = call_quietly(f, pts)
    out = np.asarray(raw)
    if out.shape not in ((k,), (m, k)) or (out.shape == (k,) and m != 1):
        msg = (
            f"with vectorized=True, f must map an (n, k) array of k points to shape "
            f"(k,) or (m, k); for k = {k} it returned shape {out.shape}"
        )
        raise ValueError(msg)
    return out.reshape(m, k).T
