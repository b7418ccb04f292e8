"""Count how often a function is evaluated: the cost model behind finite differences.

A central-difference gradient in ``n`` variables evaluates ``f`` twice per variable plus
once at the point (``2n + 1`` calls);
reverse-mode autograd gets all ``n`` partials from one forward and one backward pass.
:class:`slopebook.CallCounter` makes that difference a measured number rather than a claim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from slopebook._validation import check_callable

__all__ = ["CallCounter"]


class CallCounter:
    """Wrap ``f`` and count its calls in ``calls`` and the points it saw in ``points``.

    Parameters
    ----------
    f : callable
        The function to wrap; arguments and results pass through unchanged.
    elementwise : bool, default False
        How ``points`` counts. ``True``: ``f`` is a function of one variable applied
        to every entry, so each entry of the argument is a point. ``False``: ``f`` takes a
        vector, so a 1-D argument is one point and an ``(n, k)`` array (``vectorized=True``)
        is ``k`` points, its columns.

    Examples
    --------
    >>> import slopebook as sb
    >>> f = CallCounter(lambda p: (p**2).sum())
    >>> g = sb.gradient(f, np.ones(5))
    >>> f.calls  # two per partial derivative, plus one at the point itself
    11
    >>> f.reset()
    >>> f.calls
    0

    A function of one variable evaluated at many points in one call:

    >>> s = CallCounter(np.sin, elementwise=True)
    >>> d = sb.derivative(s, np.linspace(0.0, 1.0, 4))
    >>> s.calls, s.points  # f(x + h), f(x - h), f(x): three calls of four points each
    (3, 12)
    """

    def __init__(self, f: Callable[..., Any], *, elementwise: bool = False) -> None:
        self.f = check_callable(f)
        self.elementwise = bool(elementwise)
        self.calls = 0
        self.points = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate the wrapped function once and count it."""
        self.calls += 1
        if args:
            shape = np.shape(args[0])
            if self.elementwise:
                self.points += max(1, int(np.prod(shape)))
            else:
                self.points += int(np.prod(shape[1:])) if len(shape) > 1 else 1
        return self.f(*args, **kwargs)

    def reset(self) -> None:
        """Set both counts back to zero."""
        self.calls = 0
        self.points = 0

    def __repr__(self) -> str:
        return f"CallCounter({self.f!r}, calls={self.calls}, points={self.points})"
