"""Input checks shared by every public routine.

Each check raises a named ``TypeError`` or ``ValueError`` whose message says what was
wrong and what to do, so that bad input never surfaces as an ``IndexError`` from deep
inside numpy or as a silently wrong number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, NoReturn

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "as_point",
    "as_vector",
    "check_callable",
    "check_step",
    "integer",
    "is_integer",
    "one_of",
    "positive_number",
]


def check_callable(f: Any, name: str = "f") -> Callable[..., Any]:
    """Return ``f`` if it is callable, else raise a ``TypeError`` that names it."""
    if not callable(f):
        msg = (
            f"{name} must be a callable such as a function or lambda, "
            f"got {type(f).__name__!s}: {f!r:.60}"
        )
        raise TypeError(msg)
    return f


def as_point(x: ArrayLike, name: str = "x") -> NDArray[np.floating]:
    """Convert ``x`` to a finite floating-point array (float64 unless it is float32).

    Integers and booleans become float64. float32 stays float32 so that routines can
    say what precision they work in. Complex, object and string input is refused.
    """
    if type(x) is np.ndarray and x.dtype.type is np.float64:  # the common case, quickly
        if not np.isfinite(x).all():
            _not_finite(x, name)
        return x
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # ragged lists and the like
        msg = f"{name} must be a number or an array of numbers, got {x!r:.60}"
        raise TypeError(msg) from err
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        msg = (
            f"{name} must hold real numbers, got dtype {arr.dtype}; "
            "pass floats (complex points are not supported: use method='complex' instead)"
        )
        raise TypeError(msg)
    elif arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        _not_finite(arr, name)
    return arr


def _not_finite(arr: NDArray, name: str) -> NoReturn:
    bad = np.flatnonzero(~np.isfinite(arr))[:5].tolist()
    msg = (
        f"{name} must be finite, but it holds nan or inf at flat index {bad}; "
        "a derivative is only defined at a finite point"
    )
    raise ValueError(msg)


def as_vector(x: ArrayLike, name: str = "x") -> NDArray[np.floating]:
    """Like :func:`as_point` but require a non-empty 1-D array (a scalar becomes shape (1,))."""
    arr = as_point(x, name)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        msg = f"{name} must be a 1-D vector of shape (n,), got shape {arr.shape}; flatten it first"
        raise ValueError(msg)
    if arr.size == 0:
        msg = f"{name} must have at least one component, got an empty array"
        raise ValueError(msg)
    return arr


def check_step(h: Any) -> float | NDArray[np.floating] | None:
    """Accept ``None`` (choose automatically) or positive finite step(s)."""
    if h is None:
        return None
    try:
        arr = np.asarray(h, dtype=np.float64)
    except (TypeError, ValueError) as err:
        msg = f"h must be a positive number or None, got {h!r:.60}"
        raise TypeError(msg) from err
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        msg = f"h must be positive and finite (or None for the default step), got {h!r:.60}"
        raise ValueError(msg)
    return arr if arr.ndim else float(arr)


def is_integer(value: Any) -> bool:
    """Whether ``value`` is a Python or numpy integer (``True`` and ``False`` are not).

    Examples
    --------
    >>> is_integer(3), is_integer(np.int64(3)), is_integer(3.0), is_integer(True)
    (True, True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def integer(
    value: Any,
    name: str,
    *,
    minimum: int | None = None,
    error: type[Exception] | None = None,
) -> int:
    """Return ``value`` as an ``int`` if it is an integer of at least ``minimum``.

    A non-integer (a float, a bool, a string) is a ``TypeError`` and a too-small integer a
    ``ValueError``, unless ``error`` names the one class a routine documents for both.

    Examples
    --------
    >>> integer(np.int64(5), "steps", minimum=0)
    5
    >>> integer(2.5, "depth")
    Traceback (most recent call last):
    ...
    TypeError: depth must be an integer, got float: 2.5
    >>> integer(0, "depth", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: depth must be an integer of at least 1, got 0
    """
    if not is_integer(value):
        least = "" if minimum is None else f" of at least {minimum}"
        msg = f"{name} must be an integer{least}, got {type(value).__name__}: {value!r:.40}"
        raise (error or TypeError)(msg)
    if minimum is not None and value < minimum:
        msg = f"{name} must be an integer of at least {minimum}, got {value!r}"
        raise (error or ValueError)(msg)
    return int(value)


def positive_number(value: Any, name: str) -> float:
    """Return ``value`` as a float if it is a positive finite number, else a named error.

    A non-number is a ``TypeError``; zero, a negative number, nan or inf a ``ValueError``.

    Examples
    --------
    >>> positive_number(0.5, "lr")
    0.5
    """
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        msg = f"{name} must be a positive number, got {value!r:.60}"
        raise TypeError(msg) from err
    if not np.isfinite(number) or number <= 0:
        msg = f"{name} must be positive and finite, got {value!r:.60}"
        raise ValueError(msg)
    return number


def one_of(value: Any, allowed: Collection[str], name: str) -> str:
    """Return ``value`` if it is one of the names in ``allowed``, else a ``ValueError``
    that lists them.

    Examples
    --------
    >>> one_of("relu", ("relu", "tanh"), "activation")
    'relu'
    >>> one_of("gelu", ("relu", "tanh"), "activation")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'gelu'; choose one of 'relu', 'tanh'
    """
    if not isinstance(value, str) or value not in allowed:
        valid = ", ".join(repr(a) for a in allowed)
        msg = f"unknown {name} {value!r}; choose one of {valid}"
        raise ValueError(msg)
    return value
