"""What reverse mode (``Var``) and forward mode (``Dual``) share, each rule written once.

Which operands are plain real numbers (:func:`number`, :func:`constant`), the errors for
operands that are not (:func:`unsupported`, :func:`real_exponent`, :func:`no_rpow`) and for
values outside a function's domain (:func:`check_log`, :func:`zero_division`), the power
rule with its domain checks (:func:`power`) and a logistic that does not overflow
(:func:`logistic`).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = [
    "check_log",
    "constant",
    "logistic",
    "no_rpow",
    "number",
    "power",
    "real_exponent",
    "unsupported",
    "zero_division",
]

_FAST = (float, int)


def _engine_number(value: Any) -> bool:
    """Whether ``value`` is a ``Var`` or a ``Dual``: a number of this engine, not a plain one,
    so that an operation can tell a Var mixed with a Dual from an operand of a wrong type."""
    from slopebook.backprop._forward import Dual  # (imported here: both modules import this)
    from slopebook.backprop._reverse import Var

    return isinstance(value, (Var, Dual))


def _is_real(value: Any) -> bool:
    """Whether ``value`` is a plain real number: an int or a float (numpy's too), not a bool."""
    return type(value) in _FAST or (
        isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    )


def number(value: Any, name: str) -> float:
    """``value`` as a float if it is a real number (not a bool), else a ``TypeError``."""
    if _is_real(value):
        return float(value)
    msg = (
        f"{name} must be a real number (an int or a float), got {type(value).__name__}: "
        f"{value!r:.60}; convert it with float(...) first"
    )
    raise TypeError(msg)


def constant(other: Any, op: str, left: Any, right: Any, kind: str) -> float:
    """``other``, the plain-number operand of ``left op right``, as a float; else the
    ``TypeError`` of :func:`unsupported` (``kind`` is ``"Var"`` or ``"Dual"``)."""
    if type(other) in _FAST or _is_real(other):  # the common case without a call
        return float(other)
    raise unsupported(op, left, right, kind)


def unsupported(op: str, left: Any, right: Any, kind: str) -> TypeError:
    """The error for ``left op right`` where the operand that is not a ``kind`` is no plain
    number: a hint to stay in one mode if it is the other mode's number."""
    other = right if type(left).__name__ == kind else left
    if _engine_number(other):
        hint = (
            "a Var and a Dual cannot be mixed: use Var throughout for reverse mode, "
            "or Dual throughout for forward mode"
        )
    else:
        hint = f"combine a {kind} with another {kind} or with a plain real number (int or float)"
    msg = (
        f"unsupported operand types for {op}: {type(left).__name__} and "
        f"{type(right).__name__}; {hint}"
    )
    return TypeError(msg)


def real_exponent(p: Any, kind: str) -> float:
    """The exponent of ``kind ** p`` as a float: a plain real number, else a ``TypeError``."""
    if _engine_number(p) or not isinstance(p, numbers.Real):
        msg = (
            f"a {kind} can only be raised to a plain number, got {type(p).__name__}; "
            f"for x ** y with y a {kind} write (y * x.log()).exp()"
        )
        raise TypeError(msg)
    return number(p, "exponent")


def no_rpow(base: Any, kind: str) -> TypeError:
    """The error for ``base ** x`` with ``x`` a ``kind``: only plain exponents are supported."""
    msg = (
        f"a number to the power of a {kind} is not supported ({type(base).__name__} ** {kind}); "
        "write (y * math.log(base)).exp() for base ** y with base > 0"
    )
    return TypeError(msg)


def power(base: float, p: float) -> tuple[float, float]:
    """``base ** p`` and its derivative ``p · base ** (p - 1)`` (0 for ``p = 0``).

    A ``ValueError`` where the power is not a real number (a negative base, a non-integer
    exponent) or its derivative is not finite (``0 ** p`` for ``0 < p < 1`` or ``p < 0``).
    """
    if base < 0.0 and not p.is_integer():
        msg = (
            f"a negative base to a non-integer power is not a real number: {base!r} ** "
            f"{p!r}; use an integer exponent or keep the base positive"
        )
        raise ValueError(msg)
    if base == 0.0 and p < 1.0 and p != 0.0:
        msg = (
            f"0 ** {p!r} has no finite derivative at 0; "
            "move the point away from 0 or use an exponent of at least 1"
        )
        raise ValueError(msg)
    local = p * base ** (p - 1.0) if p != 0.0 else 0.0
    return base**p, local


def check_log(value: float) -> None:
    if not value > 0.0:
        msg = (
            f"log is defined for positive values only, got log({value!r}); "
            "keep the argument positive, e.g. log(x**2 + 1e-12) or log of a softplus"
        )
        raise ValueError(msg)


def logistic(v: float) -> float:
    """The logistic ``1 / (1 + e^-v)``, without overflow for large negative ``v``."""
    if v >= 0.0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def zero_division(kind: str) -> ZeroDivisionError:
    msg = f"division by a {kind} whose value is 0; the quotient and its derivative are undefined"
    return ZeroDivisionError(msg)
