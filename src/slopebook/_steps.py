"""Step rules for finite differences: which step each formula takes, and how it is made exact.

Each rule is written once here and used by every routine: the names of the methods
(:func:`check_method`), the default relative step of each method (:func:`relative_step`), its scaling by ``max(1, |x|)`` (:func:`scaled`), the
rounding of a step to one the computer really takes (:func:`representable`), the check
that a requested step is not below the spacing of doubles (:func:`check_spacing`), the
finer steps ``h/4`` and ``h/16`` of the kink test (:func:`finer`) and the Hessian's step
(:func:`hessian_steps`).
"""

from __future__ import annotations

from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from slopebook import numerical_warnings as nw
from slopebook._validation import one_of

__all__ = [
    "METHODS",
    "Method",
    "check_method",
    "check_spacing",
    "checked_steps",
    "finer",
    "hessian_steps",
    "relative_step",
    "representable",
    "scaled",
    "steps",
]

Method = Literal["forward", "backward", "central", "complex"]
METHODS: tuple[str, ...] = ("forward", "backward", "central", "complex")


def check_method(method: Any) -> Method:
    """``method`` if it is one of :data:`METHODS`, else a ``ValueError`` that lists them."""
    return cast("Method", one_of(method, METHODS, "method"))


def relative_step(method: str, dtype: Any = np.float64) -> float:
    """The default step of ``method``, relative to ``max(1, |x|)``: a rule of thumb.

    It balances truncation against round-off when ``f`` and its derivatives are of
    comparable size.

    ``method`` is one of :data:`METHODS`, ``"second"`` (a plain central second difference)
    or ``"hessian"`` (two second differences combined by one Richardson step, whose
    ``h⁴`` truncation error balances round-off at ``eps**(1/6)``). The caller checks the
    name. Examples are under :func:`slopebook.default_step`.
    """
    eps = float(np.finfo(dtype).eps)
    return {
        "forward": eps**0.5,
        "backward": eps**0.5,
        "central": eps ** (1 / 3),
        "second": eps**0.25,
        "hessian": eps ** (1 / 6),
        "complex": eps,
    }[method]


def scaled(method: str, dtype: Any, size: Any) -> Any:
    """The default step at a point of size ``size`` (``|x|``, elementwise or one number).

    ``relative_step(method) * max(1, size)``, so that the step stays meaningful far from the
    origin; except the complex step, which has no cancellation to balance and is never
    scaled (a large imaginary step would overflow: ``cosh(2e4)`` for ``sin`` at ``1e20``).

    Examples
    --------
    >>> print(round(scaled("central", np.float64, 1e3) / scaled("central", np.float64, 0.5), 9))
    1000.0
    >>> scaled("complex", np.float64, 1e3) == scaled("complex", np.float64, 0.5)
    True
    """
    step = relative_step(method, dtype)
    return step if method == "complex" else step * np.maximum(1.0, size)


def representable(x: NDArray, h: Any) -> NDArray:
    """``(x + h) - x``: the step the computer really takes, where it is positive.

    Dividing by it instead of the nominal ``h`` removes one source of round-off error
    (Numerical Recipes, section 5.7). Where ``x + h == x`` the nominal ``h`` is kept (and
    :func:`check_spacing` warns, if the step was requested).
    """
    return np.where((x + h) - x > 0, (x + h) - x, h)


def steps(x: NDArray, method: str, h: Any) -> NDArray:
    """Steps for each entry of ``x``: ``h``, or the scaled default if ``h`` is None, made
    representable (except for the complex step, which adds ``i h`` and needs no rounding)."""
    if h is None:
        h = scaled(method, x.dtype, np.abs(x))
    h = np.broadcast_to(np.asarray(h, dtype=x.dtype), x.shape)
    if method == "complex":
        return h.copy()
    return representable(x, h)


def check_spacing(x: NDArray, h: Any, routine: str) -> None:
    """Warn (:class:`~slopebook.StepSizeWarning`) where a requested ``h`` is below the
    spacing of doubles at ``x``, so that ``x + h`` rounds back to (nearly) ``x``."""
    requested = np.broadcast_to(np.asarray(h, dtype=x.dtype), x.shape)
    nw.check_spacing(x, requested, (x + requested) - x, routine)


def checked_steps(x: NDArray, method: str, h: Any, routine: str) -> NDArray:
    """:func:`steps`, with :func:`check_spacing` for a requested real step."""
    if h is not None and method != "complex":
        check_spacing(x, h, routine)
    return steps(x, method, h)


def finer(x: NDArray, h: NDArray) -> tuple[NDArray, NDArray]:
    """The kink test's finer steps ``h/4`` and ``h/16``, made representable at ``x``."""
    return (x + h / 4) - x, (x + h / 16) - x


def hessian_steps(x: NDArray, h: Any, routine: str) -> NDArray:
    """The smaller step of the Hessian's two second differences: ``h`` or, if None,
    ``eps**(1/6) max(1, |x_i|)``, made representable; with :func:`check_spacing` for a
    requested ``h``."""
    if h is None:
        h = scaled("hessian", x.dtype, np.abs(x))
    else:
        check_spacing(x, h, routine)
    return steps(x, "central", h)
