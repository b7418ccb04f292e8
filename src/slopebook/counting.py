"""Count how often a function is evaluated: the cost model behind finite differences.

A central-difference gradient in ``n`` variables evaluates ``f`` twice per variable;
reverse-mode autograd gets all ``n`` partials from one forward and one backward pass.
:class:`CallCounter` makes that difference a measured number rather than a claim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slopebook._validation import check_callable

__all__ = ["CallCounter"]


class CallCounter:
    """Wrap ``f`` and count its calls in :attr:`calls`.

    Parameters
    ----------
    f : callable
        The function to wrap; arguments and results pass through unchanged.

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
    """

    def __init__(self, f: Callable[..., Any]) -> None:
        self.f = check_callable(f)
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate the wrapped function once and count it."""
        self.calls += 1
        return self.f(*args, **kwargs)

    def reset(self) -> None:
        """Set the count back to zero."""
        self.calls = 0

    def __repr__(self) -> str:
        return f"CallCounter({self.f!r}, calls={self.calls})"
