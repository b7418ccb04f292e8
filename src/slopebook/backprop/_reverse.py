"""Reverse mode: :class:`Var`, a node of a computational graph, and the walks over a graph.

:func:`topological_order` is the order of ``Var.backward``'s sweep and of the traces and
drawings, which also share the nodes' labels (:func:`node_labels`) and the definitions
written in them (:func:`definition`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
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

__all__ = ["Var", "check_var", "definition", "node_labels", "topological_order"]


class Var:
    """A real number that records how it was computed, for reverse mode (backpropagation).

    Parameters
    ----------
    value : int or float
        The number.
    name : str, optional
        A label for trace tables and drawings (unnamed nodes are labelled ``v1, v2, ...``).

    Attributes
    ----------
    value : float
        The forward value.
    grad : float
        After ``out.backward()``: ``∂out/∂(this node)``; ``0.0`` before any backward pass.
    name : str or None
        The label, if any (settable).

    Notes
    -----
    Supports ``+ - * /`` with another :class:`Var` or a plain number on either side,
    ``** number``, unary minus, and the methods :meth:`exp`, :meth:`log`, :meth:`sin`,
    :meth:`cos`, :meth:`tanh`, :meth:`sigmoid` and :meth:`relu`. A ``Var`` is never
    modified by an operation: each one creates a new node.

    Examples
    --------
    >>> x, y = Var(2.0, name="x"), Var(5.0, name="y")
    >>> f = x**2 * y + 3 * y
    >>> f.value
    35.0
    >>> f.backward()
    >>> x.grad, y.grad
    (20.0, 7.0)
    >>> f.backward()  # fresh, not accumulated
    >>> x.grad
    20.0
    """

    __slots__ = ("_expr", "_parents", "grad", "name", "value")

    value: float
    grad: float
    name: str | None
    _parents: tuple[tuple[Var, float], ...]
    _expr: str

    def __init__(self, value: float, name: str | None = None) -> None:
        self.value = number(value, "Var(value)")
        if not math.isfinite(self.value):
            msg = f"Var(value) must be finite, got {self.value!r}"
            raise ValueError(msg)
        if name is not None and not isinstance(name, str):
            msg = f"name must be a string or None, got {type(name).__name__}: {name!r:.60}"
            raise TypeError(msg)
        self.grad = 0.0
        self.name = name
        self._parents = ()
        self._expr = "input"

    def __repr__(self) -> str:
        label = f", name={self.name!r}" if self.name is not None else ""
        return f"Var({self.value!r}{label}, grad={self.grad!r})"

    # -- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: Var | float) -> Var:
        if type(other) is Var:
            return _node(self.value + other.value, ((self, 1.0), (other, 1.0)), "{0} + {1}")
        c = constant(other, "+", self, other, "Var")
        return _node(self.value + c, ((self, 1.0),), f"{{0}} + {c:g}")

    def __radd__(self, other: float) -> Var:
        c = constant(other, "+", other, self, "Var")
        return _node(c + self.value, ((self, 1.0),), f"{c:g} + {{0}}")

    def __sub__(self, other: Var | float) -> Var:
        if type(other) is Var:
            return _node(self.value - other.value, ((self, 1.0), (other, -1.0)), "{0} − {1}")
        c = constant(other, "-", self, other, "Var")
        return _node(self.value - c, ((self, 1.0),), f"{{0}} − {c:g}")

    def __rsub__(self, other: float) -> Var:
        c = constant(other, "-", other, self, "Var")
        return _node(c - self.value, ((self, -1.0),), f"{c:g} − {{0}}")

    def __mul__(self, other: Var | float) -> Var:
        if type(other) is Var:
            return _node(
                self.value * other.value, ((self, other.value), (other, self.value)), "{0} · {1}"
            )
        c = constant(other, "*", self, other, "Var")
        return _node(self.value * c, ((self, c),), f"{{0}} · {c:g}")

    def __rmul__(self, other: float) -> Var:
        c = constant(other, "*", other, self, "Var")
        return _node(c * self.value, ((self, c),), f"{c:g} · {{0}}")

    def __truediv__(self, other: Var | float) -> Var:
        if type(other) is Var:
            if other.value == 0.0:
                raise zero_division(kind="Var")
            q = self.value / other.value
            return _node(q, ((self, 1.0 / other.value), (other, -q / other.value)), "{0} / {1}")
        c = constant(other, "/", self, other, "Var")
        if c == 0.0:
            raise zero_division(kind="number")
        return _node(self.value / c, ((self, 1.0 / c),), f"{{0}} / {c:g}")

    def __rtruediv__(self, other: float) -> Var:
        c = constant(other, "/", other, self, "Var")
        if self.value == 0.0:
            raise zero_division(kind="Var")
        q = c / self.value
        return _node(q, ((self, -q / self.value),), f"{c:g} / {{0}}")

    def __pow__(self, exponent: float) -> Var:
        p = real_exponent(exponent, "Var")
        value, local = power(self.value, p)
        return _node(value, ((self, local),), "{0}" + _superscript(p))

    def __rpow__(self, base: Any) -> Var:
        raise no_rpow(base, kind="Var")

    def __neg__(self) -> Var:
        return _node(-self.value, ((self, -1.0),), "−{0}")

    # -- functions ----------------------------------------------------------------------
    def exp(self) -> Var:
        """``e ** self``; its derivative is itself."""
        e = math.exp(self.value)
        return _node(e, ((self, e),), "exp({0})")

    def log(self) -> Var:
        """The natural logarithm (``ValueError`` for a value ≤ 0)."""
        check_log(self.value)
        return _node(math.log(self.value), ((self, 1.0 / self.value),), "log({0})")

    def sin(self) -> Var:
        """The sine; its derivative is the cosine."""
        return _node(math.sin(self.value), ((self, math.cos(self.value)),), "sin({0})")

    def cos(self) -> Var:
        """The cosine; its derivative is minus the sine."""
        return _node(math.cos(self.value), ((self, -math.sin(self.value)),), "cos({0})")

    def tanh(self) -> Var:
        """The hyperbolic tangent; its derivative is ``1 - tanh²``."""
        t = math.tanh(self.value)
        return _node(t, ((self, 1.0 - t * t),), "tanh({0})")

    def sigmoid(self) -> Var:
        """The logistic ``1 / (1 + e^-x)``; its derivative is ``σ (1 - σ)``."""
        s = logistic(self.value)
        return _node(s, ((self, s * (1.0 - s)),), "σ({0})")

    def relu(self) -> Var:
        """``max(x, 0)``; its derivative is 1 for x > 0 and 0 otherwise (0 at the kink,
        as in PyTorch)."""
        positive = self.value > 0.0
        return _node(
            self.value if positive else 0.0, ((self, 1.0 if positive else 0.0),), "relu({0})"
        )

    # -- reverse mode -------------------------------------------------------------------
    def backward(self) -> None:
        """Set ``.grad`` of every node of this graph to ``∂(self)/∂(node)``.

        One sweep in reverse topological order: the output's adjoint is 1, and each node
        passes ``its adjoint × local partial`` to each of its inputs, where contributions
        from several uses add up. Gradients from an earlier call are overwritten, not
        accumulated (unlike PyTorch's ``Tensor.backward``). Iterative: no recursion limit.

        Examples
        --------
        >>> x = Var(3.0)
        >>> y = x * x + x  # x is used three times: the contributions add up
        >>> y.backward()
        >>> x.grad
        7.0
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            g = node.grad
            for parent, local in node._parents:
                parent.grad += g * local


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(p: float) -> str:
    """``²`` for 2, ``⁻¹`` for -1; ``^0.5`` for an exponent that is not an integer."""
    if p.is_integer() and abs(p) < 100:
        return str(int(p)).translate(_SUPERSCRIPTS)
    return f"^{p:g}"


def _node(value: float, parents: tuple[tuple[Var, float], ...], expr: str) -> Var:
    """A new graph node (no input checks: its value came from other nodes)."""
    v = object.__new__(Var)
    v.value = value
    v.grad = 0.0
    v.name = None
    v._parents = parents
    v._expr = expr
    return v


def check_var(output: Any, routine: str) -> Var:
    """``output`` if it is a :class:`Var`, else a ``TypeError`` that names ``routine``."""
    if not isinstance(output, Var):
        msg = (
            f"{routine} needs a Var (the output of a computation on Vars), got "
            f"{type(output).__name__}: {output!r:.60}"
        )
        raise TypeError(msg)
    return output


def topological_order(output: Var) -> list[Var]:
    """Every node that ``output`` depends on, inputs before the nodes that use them.

    A depth-first search with an explicit stack (no recursion, so a graph of any depth
    works); each node appears once, after all of its inputs, and ``output`` comes last.

    Examples
    --------
    >>> x = Var(1.0, name="x")
    >>> y = x.sin() * x
    >>> [node.name or node._expr for node in topological_order(y)]
    ['x', 'sin({0})', '{0} · {1}']
    """
    output = check_var(output, "topological_order")
    order: list[Var] = []
    seen = {id(output)}
    stack: list[tuple[Var, Iterator[tuple[Var, float]]]] = [(output, iter(output._parents))]
    while stack:
        node, parents = stack[-1]
        for parent, _ in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent._parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def node_labels(order: Sequence[Var]) -> dict[int, str]:
    """Each node's label by ``id``: its name, or ``v1, v2, ...`` in ``order`` if unnamed."""
    labels: dict[int, str] = {}
    k = 0
    for node in order:
        if node.name is not None:
            labels[id(node)] = node.name
        else:
            k += 1
            labels[id(node)] = f"v{k}"
    return labels


def definition(node: Var, labels: Mapping[int, str]) -> str:
    """How ``node`` was computed, in its inputs' ``labels`` (``v1 · y``); ``input`` for a leaf."""
    if not node._parents:
        return "input"
    return node._expr.format(*(labels[id(p)] for p, _ in node._parents))
