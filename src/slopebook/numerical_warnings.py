"""Named warnings for finite differences that cannot be trusted, and the checks that raise them.

Every warning is a subclass of :class:`NumericalWarning` (itself a ``UserWarning``), so
``warnings.simplefilter("error", slopebook.NumericalWarning)`` turns them all into errors
and ``warnings.catch_warnings`` can silence one kind on purpose. Each message says what was
detected, at which point, and what to do instead.

=========================  ================================================================
warning                    raised when
=========================  ================================================================
``StepSizeWarning``        the step is below the spacing of doubles at ``x`` (``x + h ==
                           x``), or ``f`` changes on a scale the step cannot resolve
                           (``sin'`` at ``1e20``)
``KinkWarning``            the difference quotients left and right of ``x`` disagree:
                           ``f`` has a kink at or within a step of ``x`` (``relu`` or
                           ``abs`` near 0); if it is at ``x``, the derivative does not
                           exist there
``NonAnalyticWarning``     the complex step went through something that is not
                           complex-analytic (``abs``, ``maximum``, a cast to real)
``NonFiniteWarning``       ``f`` is ``nan`` or ``inf`` at a probe point (``log`` near 0)
``PrecisionWarning``       the point is float32, where a central difference's typical
                           error is about ``1e-5`` instead of ``1e-11``
=========================  ================================================================
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "KinkWarning",
    "NonAnalyticWarning",
    "NonFiniteWarning",
    "NumericalWarning",
    "PrecisionWarning",
    "StepSizeWarning",
]

_PACKAGE = str(Path(__file__).parent)


class NumericalWarning(UserWarning):
    """Base class: a finite-difference result that should not be trusted as it stands."""


class StepSizeWarning(NumericalWarning):
    """The step is below the spacing of doubles at ``x``, or too coarse to resolve ``f``."""


class KinkWarning(NumericalWarning):
    """Left and right difference quotients disagree: ``f`` has a kink at or within a step of ``x``.

    If the kink is at ``x`` itself, the derivative does not exist there; if it is only
    within the step, the derivative may exist (``abs`` at ``1e-9``) but the difference
    cannot be trusted.
    """


class NonAnalyticWarning(NumericalWarning):
    """The complex step was used on a function that is not complex-analytic."""


class NonFiniteWarning(NumericalWarning):
    """``f`` returned ``nan`` or ``inf`` at a point the difference formula probed."""


class PrecisionWarning(NumericalWarning):
    """The computation runs in float32, far less accurate than float64."""


def warn(category: type[NumericalWarning], message: str) -> None:
    """Issue ``category`` attributed to the first caller outside the slopebook package."""
    level = 2  # stacklevel=2 is the caller of this function
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, category, stacklevel=level)


def _where(x: NDArray, mask: NDArray) -> str:
    """A short list of the points where ``mask`` holds, for messages."""
    pts = np.asarray(x)[np.broadcast_to(mask, np.shape(x))] if np.ndim(x) else np.asarray([x])
    shown = ", ".join(f"{float(p):.6g}" for p in pts.ravel()[:3])
    more = f" and {pts.size - 3} more" if pts.size > 3 else ""
    return f"x = {shown}{more}"


def eps_of(values: NDArray) -> float:
    """Machine epsilon of the floating type ``values`` are in (float64 for anything else)."""
    dtype = np.asarray(values).dtype
    return float(np.finfo(dtype if dtype.kind == "f" else np.float64).eps)


def check_precision(x: NDArray, routine: str) -> None:
    """:class:`PrecisionWarning` if ``x`` is float32."""
    if x.dtype == np.float32:
        eps32 = float(np.finfo(np.float32).eps)
        eps64 = float(np.finfo(np.float64).eps)
        msg = (
            f"{routine}: x is float32, so a central difference with its default step has a "
            f"typical relative error near eps**(2/3) = {eps32 ** (2 / 3):.1e} "
            f"(float64: {eps64 ** (2 / 3):.1e}). Pass np.asarray(x, dtype=np.float64) "
            "unless float32 is the point of the exercise."
        )
        warn(PrecisionWarning, msg)


def check_spacing(x: NDArray, requested: NDArray, taken: NDArray, routine: str) -> None:
    """:class:`StepSizeWarning` where ``x + h`` rounds back to ``x`` or far from it.

    ``requested`` is the step asked for, ``taken`` the step ``(x + h) - x`` the computer
    can really take.
    """
    requested = np.broadcast_to(requested, np.shape(x))
    taken = np.broadcast_to(taken, np.shape(x))
    bad = (taken == 0) | (np.abs(taken - requested) > 0.5 * requested)
    if np.any(bad):
        gap = float(np.max(np.spacing(np.abs(x))[bad]))
        msg = (
            f"{routine}: the step h = {float(np.max(requested[bad])):.3g} is below the "
            f"spacing of doubles at {_where(x, bad)} (neighbouring doubles there are "
            f"{gap:.3g} apart), so x + h is not x + h. Use a step of at least "
            f"{1e3 * gap:.3g}, h=None to let slopebook choose, or shift/rescale x so it is "
            "near 0; for an analytic f, method='complex' is unaffected."
        )
        warn(StepSizeWarning, msg)


def check_finite(values: NDArray, x: NDArray, routine: str) -> None:
    """:class:`NonFiniteWarning` if any probed value of ``f`` is ``nan`` or ``inf``.

    ``values`` has the probes on its leading axis and the shape of ``x`` after it.
    """
    bad = ~np.isfinite(values)
    if np.any(bad):
        at = np.any(bad.reshape(bad.shape[0], -1), axis=0).reshape(np.shape(x))
        msg = (
            f"{routine}: f is nan or inf at a point within the step of {_where(x, at)}: "
            "x is at or near the edge of f's domain (like log near 0). Use a one-sided "
            "difference that stays inside, method='forward' or method='backward', or a "
            "smaller h; the result there is nan or inf, not a derivative."
        )
        warn(NonFiniteWarning, msg)


def kink_test(
    f0: NDArray,
    fp: NDArray,
    fm: NDArray,
    h: NDArray,
    more: tuple[NDArray, NDArray, NDArray, NDArray, NDArray, NDArray],
) -> tuple[NDArray, NDArray]:
    """Classify each point from values at ``x``, ``x ± h``, ``x ± h/4`` and ``x ± h/16``.

    ``more`` is ``(fp2, fm2, h2, fp3, fm3, h3)`` with ``h2 ≈ h/4`` and ``h3 ≈ h/16``.

    The even part ``E(h) = (f(x+h) + f(x-h) - 2 f(x)) / (2h)`` is half the gap between the
    right and left slopes. For a smooth ``f`` it is ``h f''/2 + O(h^3)``, so it shrinks four
    times when ``h`` does; at a kink it is half the jump in slope, whatever ``h`` is. The
    central difference ``D(h) = f' + c h² + ...`` has differences ``D(h) - D(h/4)`` that
    shrink sixteen times from one level to the next. When neither pattern holds (above
    the round-off noise), ``f`` varies on a scale the steps do not resolve.

    Returns
    -------
    kink, unresolved : ndarray of bool
    """
    fp2, fm2, h2, fp3, fm3, h3 = more
    eps = eps_of(fp)
    a0 = np.abs(f0)

    def parts(p: NDArray, m: NDArray, s: NDArray) -> tuple[NDArray, NDArray, NDArray]:
        noise = 64 * eps * (np.abs(p) + np.abs(m) + 2 * a0) / (2 * s)
        return (p - m) / (2 * s), (p + m - 2 * f0) / (2 * s), noise

    d1, e1, n1 = parts(fp, fm, h)
    d2, e2, n2 = parts(fp2, fm2, h2)
    d3, e3, n3 = parts(fp3, fm3, h3)
    signal = np.abs(e1) > n1 + n2
    kink = (
        signal
        & (np.abs(e3) > n3)
        & (np.abs(e2 - e1) <= 0.25 * np.abs(e1))
        & (np.abs(e3 - e2) <= 0.25 * np.abs(e2) + n3)
    )
    even_smooth = ~signal | (
        (np.abs(e2 - e1 / 4) <= 0.25 * np.abs(e1) + n2)
        & (np.abs(e3 - e2 / 4) <= 0.25 * np.abs(e2) + n3)
    )
    big, small = np.abs(d1 - d2), np.abs(d2 - d3)
    odd_smooth = (big <= n1 + n2) | (small <= n2 + n3) | ((small >= big / 64) & (small <= big / 4))
    unresolved = ~kink & ~(even_smooth & odd_smooth)
    return kink, unresolved


def warn_kink(x: NDArray, left: NDArray, right: NDArray, mask: NDArray, routine: str) -> None:
    """:class:`KinkWarning` with the left and right slopes at the first flagged point."""
    i = np.flatnonzero(np.broadcast_to(mask, np.shape(left)).ravel())[0]
    lo, hi = float(np.ravel(left)[i]), float(np.ravel(right)[i])
    msg = (
        f"{routine}: f has a kink at or within the step of {_where(x, mask)}: the slope "
        f"from the left is about {lo:.6g} and from the right about {hi:.6g}, so the "
        f"derivative does not exist there and a central difference returns their average "
        f"{(lo + hi) / 2:.6g}. Use method='forward' or method='backward' for a one-sided "
        "slope, or pick a subgradient on purpose."
    )
    warn(KinkWarning, msg)


def warn_unresolved(x: NDArray, mask: NDArray, step: float, routine: str) -> None:
    """:class:`StepSizeWarning`: ``f`` changes on a scale shorter than the step."""
    gap = float(np.max(np.spacing(np.abs(np.broadcast_to(x, mask.shape)[mask]))))
    msg = (
        f"{routine}: f changes on a scale shorter than the step h = {step:.3g} at "
        f"{_where(x, mask)}: slopes at h and h/4 disagree, so the result is not a "
        f"derivative. Doubles there are {gap:.3g} apart; if that is already coarser than "
        "f's features (sin at 1e20), no real finite difference can resolve f: use "
        "method='complex' for an analytic f, or shift/rescale x. Otherwise pass a smaller h."
    )
    warn(StepSizeWarning, msg)


def non_analytic(routine: str, why: str) -> None:
    """:class:`NonAnalyticWarning` with the reason ``why``."""
    msg = (
        f"{routine}: the complex step needs a complex-analytic f, but {why}. Functions "
        "built from abs, maximum/minimum, comparisons or casts to float are not analytic; "
        "their complex-step derivative is wrong (often exactly 0). Use method='central' "
        "(or slopebook.derivative_estimate) instead."
    )
    warn(NonAnalyticWarning, msg)
