"""Diagnostics: is a finite difference to be trusted? Kinks, resolution, analyticity.

A central difference at a kink (``relu`` at 0) averages two different slopes; one whose
step cannot resolve ``f`` (``sin`` at ``1e20``) returns noise; a complex step through a
non-analytic ``f`` (``abs``) returns a wrong slope without complaint. The checks here
spend a few more evaluations, only where a cheap first test is suspicious, and raise the
named warnings of :mod:`slopebook.numerical_warnings`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from slopebook import numerical_warnings as nw
from slopebook._batch import batch
from slopebook._steps import finer, steps

__all__ = ["central_checks", "complex_checks", "partial_kink_check", "suspicious"]


def suspicious(f0: NDArray, fp: NDArray, fm: NDArray, h: NDArray) -> NDArray:
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


def _finer_values(
    call: Callable[[NDArray], NDArray], x: NDArray, h: NDArray
) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Values at ``x ± h/4`` and ``x ± h/16`` (:func:`~slopebook._steps.finer`)."""
    h2, h3 = finer(x, h)
    return call(x + h2), call(x - h2), h2, call(x + h3), call(x - h3), h3


def central_checks(
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
    sus = suspicious(f0, fp, fm, h)
    if not np.any(sus):
        return
    xs, hs = x[sus], h[sus]
    more = _finer_values(call, xs, hs)
    kink, unresolved = nw.kink_test(f0[sus], fp[sus], fm[sus], hs, more)
    if np.any(kink):
        left = (f0[sus] - fm[sus]) / hs
        right = (fp[sus] - f0[sus]) / hs
        nw.warn_kink(xs, left, right, kink, routine)
    if np.any(unresolved):
        nw.warn_unresolved(xs, unresolved, float(np.max(hs[unresolved])), routine)


def complex_checks(
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
    hc = steps(x, "central", None)
    fp, fm, f0 = call(x + hc), call(x - hc), call(x)
    eps = nw.eps_of(fp)
    central = (fp - fm) / (2 * hc)
    noise = 64 * eps * (np.abs(fp) + np.abs(fm)) / (2 * hc)
    scale = np.maximum(np.abs(central), np.abs(out))
    bad = np.abs(out - central) > 1e-5 * scale + noise
    sus = suspicious(f0, fp, fm, hc) | bad
    if np.any(sus):
        xs, hs = x[sus], hc[sus]
        more = _finer_values(call, xs, hs)
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


def partial_kink_check(
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
    """:func:`central_checks` for partial derivatives: four more points per suspicious column."""
    f0c = f0[:, None]
    sus = np.any(suspicious(f0c, fp, fm, steps), axis=0)
    if not np.any(sus):
        return
    cols = np.flatnonzero(sus)
    hs = steps[cols]
    c = cols.size
    h2, h3 = finer(x[cols], hs)
    idx = np.tile(cols, 4)[:, None]
    delta = np.concatenate([h2, -h2, h3, -h3])[:, None]
    v = batch(f, x, idx, delta, shape, vectorized, routine).T
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
