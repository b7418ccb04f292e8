"""Forward mode: :class:`Dual`, a number that carries its tangent through every operation."""

from __future__ import annotations

import math
from typing import Any

from slopebook.backprop._common import (
    check_log,
    constant,
    logistic,
    no_rpow,
    number,
    power,
    real_exponent,
    zero_division,
)

__all__ = ["Dual"]


class Dual:
    """A number with a tangent, for forward mode: ``value + tangent·ε`` with ``ε² = 0``.

    Every operation carries the tangent along by the chain rule, so after computing
    ``f`` on ``Dual(x, v)`` the result's ``.tangent`` is the directional derivative of
    ``f`` at ``x`` along ``v`` (a Jacobian-vector product). One pass per direction.

    Parameters
    ----------
    value : int or float
        The number.
    tangent : int or float, default 0.0
        Its derivative along the chosen direction: 1 for the input you differentiate by,
        0 for a constant.

    Examples
    --------
    >>> x, y = Dual(2.0, 1.0), Dual(5.0, 0.0)  # differentiate by x
    >>> f = x**2 * y + 3 * y
    >>> f.value, f.tangent
    (35.0, 20.0)
    """

    __slots__ = ("tangent", "value")

    value: float
    tangent: float

    def __init__(self, value: float, tangent: float = 0.0) -> None:
        self.value = number(value, "Dual(value)")
        self.tangent = number(tangent, "Dual(tangent)")

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.tangent!r})"

    def _other(self, other: Any, op: str, left: Any, right: Any) -> Dual:
        if type(other) is Dual:
            return other
        return _dual(constant(other, op, left, right, "Dual"), 0.0)

    def __add__(self, other: Dual | float) -> Dual:
        o = self._other(other, "+", self, other)
        return _dual(self.value + o.value, self.tangent + o.tangent)

    def __radd__(self, other: float) -> Dual:
        o = self._other(other, "+", other, self)
        return _dual(o.value + self.value, o.tangent + self.tangent)

    def __sub__(self, other: Dual | float) -> Dual:
        o = self._other(other, "-", self, other)
        return _dual(self.value - o.value, self.tangent - o.tangent)

    def __rsub__(self, other: float) -> Dual:
        o = self._other(other, "-", other, self)
        return _dual(o.value - self.value, o.tangent - self.tangent)

    def __mul__(self, other: Dual | float) -> Dual:
        o = self._other(other, "*", self, other)
        return _dual(self.value * o.value, self.tangent * o.value + self.value * o.tangent)

    def __rmul__(self, other: float) -> Dual:
        return self.__mul__(self._other(other, "*", other, self))

    def __truediv__(self, other: Dual | float) -> Dual:
        o = self._other(other, "/", self, other)
        return _divide(self, o)

    def __rtruediv__(self, other: float) -> Dual:
        return _divide(self._other(other, "/", other, self), self)

    def __pow__(self, exponent: float) -> Dual:
        value, local = power(self.value, real_exponent(exponent, "Dual"))
        return _dual(value, local * self.tangent)

    def __rpow__(self, base: Any) -> Dual:
        raise no_rpow(base, kind="Dual")

    def __neg__(self) -> Dual:
        return _dual(-self.value, -self.tangent)

    def exp(self) -> Dual:
        """``e ** self``."""
        e = math.exp(self.value)
        return _dual(e, e * self.tangent)

    def log(self) -> Dual:
        """The natural logarithm (``ValueError`` for a value ≤ 0)."""
        check_log(self.value)
        return _dual(math.log(self.value), self.tangent / self.value)

    def sin(self) -> Dual:
        """The sine."""
        return _dual(math.sin(self.value), math.cos(self.value) * self.tangent)

    def cos(self) -> Dual:
        """The cosine."""
        return _dual(math.cos(self.value), -math.sin(self.value) * self.tangent)

    def tanh(self) -> Dual:
        """The hyperbolic tangent."""
        t = math.tanh(self.value)
        return _dual(t, (1.0 - t * t) * self.tangent)

    def sigmoid(self) -> Dual:
        """The logistic ``1 / (1 + e^-x)``."""
        s = logistic(self.value)
        return _dual(s, s * (1.0 - s) * self.tangent)

    def relu(self) -> Dual:
        """``max(x, 0)``, with derivative 0 at the kink (as in PyTorch)."""
        if self.value > 0.0:
            return _dual(self.value, self.tangent)
        return _dual(0.0, 0.0)


def _dual(value: float, tangent: float) -> Dual:
    d = object.__new__(Dual)
    d.value = value
    d.tangent = tangent
    return d


def _divide(a: Dual, b: Dual) -> Dual:
    if b.value == 0.0:
        raise zero_division(kind="Dual")
    q = a.value / b.value
    return _dual(q, (a.tangent - q * b.tangent) / b.value)
