"""Difference stencils: the formulas that turn values of ``f`` into derivatives.

:func:`difference` applies one first-difference formula (forward, backward, central or
complex step) to a function of one variable; :func:`elementwise` applies it, with the
checks that name what went wrong, at every entry of an array for a function that acts
elementwise (a derivative); :func:`partials` applies it along every coordinate at once,
which is a Jacobian (a gradient is its one row, transposed);
:func:`second_differences` is the Hessian's stencil and :func:`richardson` the step that
cancels its ``h²`` error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slopebook import numerical_warnings as nw
from slopebook._batch import batch, call_complex, call_quietly, evaluate
from slopebook._diagnostics import central_checks, complex_checks, partial_kink_check
from slopebook._steps import checked_steps

__all__ = ["difference", "elementwise", "partials", "richardson", "second_differences"]


def difference(
    call: Callable[[Any], NDArray],
    x: NDArray | float,
    h: NDArray | np.floating,
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


def elementwise(f: Callable[[Any], Any], x: NDArray, method: str, h: Any, routine: str) -> NDArray:
    """The derivative of an elementwise ``f`` at every entry of ``x``, with the shape of ``x``.

    ``h`` is the requested step (already checked) or None for the default
    (:func:`~slopebook._steps.checked_steps`). What cannot be trusted is named by a
    warning: the central difference spends one more evaluation, ``f(x)``, on kinks and
    resolution (:func:`~slopebook._diagnostics.central_checks`), and the complex step is
    compared with a central difference where its step is small.
    """
    steps = checked_steps(x, method, h, routine)

    def call(arg: Any) -> NDArray:
        return evaluate(f, arg, np.shape(arg), "act elementwise: one output per input")

    if method == "complex":
        raw, flagged = call_complex(f, x + 1j * steps, routine)
        fz = np.asarray(raw)
        if fz.shape != x.shape:
            msg = f"f must act elementwise: one output per input; got shape {fz.shape}"
            raise ValueError(msg)
        nw.check_finite(fz[None], x, routine)
        out = np.imag(fz) / steps
        # With a large imaginary step the complex step has its own truncation error
        # (h**2 f'(3)/6) and need not agree with a central difference: check small steps.
        small = steps <= np.sqrt(nw.eps_of(x)) * np.maximum(1.0, np.abs(x))
        if not flagged and np.any(small):
            complex_checks(call, x[small], np.asarray(out)[small], routine)
    elif method == "central":
        fp, fm = call(x + steps), call(x - steps)
        out = (fp - fm) / (2 * steps)
        central_checks(call, x, steps, fp, fm, routine)
    else:
        f0 = call(x)
        other = call(x + steps) if method == "forward" else call(x - steps)
        nw.check_finite(np.stack([f0, other]), x, routine)
        out = (other - f0) / steps if method == "forward" else (f0 - other) / steps
    return np.asarray(np.real(out), dtype=x.dtype)


def partials(
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
    f0 = np.asarray(call_quietly(f, x[:, None] if vectorized else x.copy()))
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
    steps = checked_steps(x, method, h, routine)
    j = np.arange(n)[:, None]
    if method == "complex":
        vals = batch(f, x, j, 1j * steps[:, None], shape, vectorized, routine)  # (n, m)
        nw.check_finite(vals.T[None], np.broadcast_to(x, vals.T.shape), routine)
        return np.real(np.imag(vals) / steps[:, None]).T.astype(x.dtype)
    if method == "central":
        idx = np.concatenate([j, j])
        delta = np.concatenate([steps, -steps])[:, None]
        vals = batch(f, x, idx, delta, shape, vectorized, routine)
        fp, fm = vals[:n].T, vals[n:].T  # (m, n)
        cols = (fp - fm) / (2 * steps)
        nw.check_finite(np.stack([fp, fm]), np.broadcast_to(x, fp.shape), routine)
        if check_kinks:
            partial_kink_check(f, x, steps, f0v, fp, fm, shape, vectorized, routine)
        return cols.astype(x.dtype)
    sign = 1.0 if method == "forward" else -1.0
    other = batch(f, x, j, sign * steps[:, None], shape, vectorized, routine).T
    nw.check_finite(other[None], np.broadcast_to(x, other.shape), routine)
    return (sign * (other - f0v[:, None]) / steps).astype(x.dtype)


def second_differences(
    f: Callable[[Any], Any], x: NDArray, hs: NDArray, vectorized: bool, routine: str
) -> tuple[NDArray, float]:
    """One second-difference Hessian at steps ``hs``; returns ``(H, max |f|)``.

    ``H_ii = (f(x + h_i e_i) - 2 f(x) + f(x - h_i e_i)) / h_i²`` and, with
    ``v = h_i e_i + h_j e_j``, ``H_ij = (f(x + v) + f(x - v) - f(x ± h_i e_i)
    - f(x ± h_j e_j) + 2 f(x)) / (2 h_i h_j)``: both ``H + O(h²)`` with only even powers
    of ``h``, so Richardson extrapolation applies. ``n² + n + 1`` evaluations.
    """
    n = x.size
    f0 = np.asarray(call_quietly(f, x[:, None] if vectorized else x.copy()))
    if f0.size != 1:
        msg = f"f must return a scalar (one number) for a Hessian, got shape {f0.shape}"
        raise ValueError(msg)
    fx = float(f0.reshape(()))
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
    vals = batch(f, x, idx, delta, (), vectorized, routine)[:, 0]
    k = iu.size
    fp, fm = vals[:n], vals[n : 2 * n]
    pp, mm = vals[2 * n : 2 * n + k], vals[2 * n + k :]
    if not (np.all(np.isfinite(vals)) and np.isfinite(fx)):
        nw.check_finite(np.full((1, n), np.nan), x, routine)
    H = np.empty((n, n), dtype=x.dtype)
    H[j, j] = (fp - 2 * fx + fm) / hs**2
    off = (pp + mm - fp[iu] - fm[iu] - fp[ju] - fm[ju] + 2 * fx) / (2 * hs[iu] * hs[ju])
    H[iu, ju] = off
    H[ju, iu] = off
    return H, float(np.max(np.abs(np.append(vals, fx))))


def richardson(fine: NDArray, coarse: NDArray) -> NDArray:
    """``(4 H(h) - H(2h)) / 3``: two second differences whose errors are ``c h² + O(h⁴)``
    and ``4 c h² + O(h⁴)`` combined so that the ``h²`` terms cancel.

    Examples
    --------
    >>> float(richardson(np.array(2.0 + 1e-4), np.array(2.0 + 4e-4)))
    2.0
    """
    return (4 * fine - coarse) / 3
