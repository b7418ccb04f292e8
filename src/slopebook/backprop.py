"""Backpropagation in a few readable lines: reverse mode (:class:`~slopebook.backprop.Var`)
and forward mode (:class:`~slopebook.backprop.Dual`) on plain Python floats.

Every arithmetic operation on a :class:`Var` makes a new node of a **computational graph**
that remembers its inputs and the *local* partial derivative with respect to each, e.g.
``z = x * y`` stores ``(x, y.value)`` and ``(y, x.value)``. ``z.backward()`` then visits
the graph once, from ``z`` back to the inputs, in reverse topological order, and applies
the chain rule at each node: a node's **adjoint** ``v̄ = ∂z/∂v`` is the sum, over every
use of ``v``, of the user's adjoint times the local partial. That is reverse mode, and one
pass gives the partial derivative of ``z`` with respect to every node at once.

A :class:`Dual` carries a value and a **tangent** (the derivative along one chosen input
direction) through the same operations: forward mode, one pass per input direction.

How ``.grad`` differs from PyTorch
----------------------------------
``Var.backward()`` *sets* ``.grad`` on every node of the graph to ``∂(this)/∂(that)``:
calling it twice gives the same numbers, and calling it on another output of the same graph
replaces them. PyTorch's ``Tensor.backward()`` *adds* into ``.grad`` of the leaves (so that
gradients of several losses can be summed) and frees the graph unless
``retain_graph=True``; a training loop therefore calls ``optimizer.zero_grad()`` before each
backward pass. Here there is nothing to zero.

:func:`forward_trace` and :func:`reverse_trace` return a sweep as a table
(:class:`Trace`), :func:`draw_graph` draws the graph with its values and adjoints
(matplotlib, imported only when you draw), and :func:`gradient` and :func:`jacobian`
differentiate a plain Python function of a list of floats.
"""

from __future__ import annotations

import html
import math
import numbers
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure

__all__ = [
    "Dual",
    "Trace",
    "Var",
    "draw_graph",
    "forward_trace",
    "gradient",
    "jacobian",
    "reverse_trace",
    "topological_order",
]

_FAST = (float, int)


def _number(value: Any, name: str) -> float:
    """``value`` as a float if it is a real number (not a bool), else a ``TypeError``."""
    if type(value) in _FAST:
        return float(value)
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    msg = (
        f"{name} must be a real number (an int or a float), got {type(value).__name__}: "
        f"{value!r:.60}; convert it with float(...) first"
    )
    raise TypeError(msg)


def _unsupported(op: str, left: Any, right: Any, kind: str) -> TypeError:
    other = right if type(left).__name__ == kind else left
    if isinstance(other, (Var, Dual)):
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


def _check_log(value: float) -> None:
    if not value > 0.0:
        msg = (
            f"log is defined for positive values only, got log({value!r}); "
            "keep the argument positive, e.g. log(x**2 + 1e-12) or log of a softplus"
        )
        raise ValueError(msg)


def _check_power(base: float, exponent: float) -> None:
    if base < 0.0 and not exponent.is_integer():
        msg = (
            f"a negative base to a non-integer power is not a real number: {base!r} ** "
            f"{exponent!r}; use an integer exponent or keep the base positive"
        )
        raise ValueError(msg)
    if base == 0.0 and exponent < 1.0 and exponent != 0.0:
        msg = (
            f"0 ** {exponent!r} has no finite derivative at 0; "
            "move the point away from 0 or use an exponent of at least 1"
        )
        raise ValueError(msg)


def _sigmoid(v: float) -> float:
    if v >= 0.0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def _zero_division(kind: str) -> ZeroDivisionError:
    msg = f"division by a {kind} whose value is 0; the quotient and its derivative are undefined"
    return ZeroDivisionError(msg)


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
        self.value = _number(value, "Var(value)")
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
        c = _constant(other, "+", self, other)
        return _node(self.value + c, ((self, 1.0),), f"{{0}} + {c:g}")

    def __radd__(self, other: float) -> Var:
        c = _constant(other, "+", other, self)
        return _node(c + self.value, ((self, 1.0),), f"{c:g} + {{0}}")

    def __sub__(self, other: Var | float) -> Var:
        if type(other) is Var:
            return _node(self.value - other.value, ((self, 1.0), (other, -1.0)), "{0} − {1}")
        c = _constant(other, "-", self, other)
        return _node(self.value - c, ((self, 1.0),), f"{{0}} − {c:g}")

    def __rsub__(self, other: float) -> Var:
        c = _constant(other, "-", other, self)
        return _node(c - self.value, ((self, -1.0),), f"{c:g} − {{0}}")

    def __mul__(self, other: Var | float) -> Var:
        if type(other) is Var:
            return _node(
                self.value * other.value, ((self, other.value), (other, self.value)), "{0} · {1}"
            )
        c = _constant(other, "*", self, other)
        return _node(self.value * c, ((self, c),), f"{{0}} · {c:g}")

    def __rmul__(self, other: float) -> Var:
        c = _constant(other, "*", other, self)
        return _node(c * self.value, ((self, c),), f"{c:g} · {{0}}")

    def __truediv__(self, other: Var | float) -> Var:
        if type(other) is Var:
            if other.value == 0.0:
                raise _zero_division(kind="Var")
            q = self.value / other.value
            return _node(q, ((self, 1.0 / other.value), (other, -q / other.value)), "{0} / {1}")
        c = _constant(other, "/", self, other)
        if c == 0.0:
            raise _zero_division(kind="number")
        return _node(self.value / c, ((self, 1.0 / c),), f"{{0}} / {c:g}")

    def __rtruediv__(self, other: float) -> Var:
        c = _constant(other, "/", other, self)
        if self.value == 0.0:
            raise _zero_division(kind="Var")
        q = c / self.value
        return _node(q, ((self, -q / self.value),), f"{c:g} / {{0}}")

    def __pow__(self, exponent: float) -> Var:
        if isinstance(exponent, (Var, Dual)) or not isinstance(exponent, numbers.Real):
            msg = (
                f"a Var can only be raised to a plain number, got {type(exponent).__name__}; "
                "for x ** y with y a Var write (y * x.log()).exp()"
            )
            raise TypeError(msg)
        p = _number(exponent, "exponent")
        _check_power(self.value, p)
        local = p * self.value ** (p - 1.0) if p != 0.0 else 0.0
        return _node(self.value**p, ((self, local),), "{0}" + _superscript(p))

    def __rpow__(self, base: Any) -> Var:
        msg = (
            f"a number to the power of a Var is not supported ({type(base).__name__} ** Var); "
            "write (y * math.log(base)).exp() for base ** y with base > 0"
        )
        raise TypeError(msg)

    def __neg__(self) -> Var:
        return _node(-self.value, ((self, -1.0),), "−{0}")

    # -- functions ----------------------------------------------------------------------
    def exp(self) -> Var:
        """``e ** self``; its derivative is itself."""
        e = math.exp(self.value)
        return _node(e, ((self, e),), "exp({0})")

    def log(self) -> Var:
        """The natural logarithm (``ValueError`` for a value ≤ 0)."""
        _check_log(self.value)
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
        s = _sigmoid(self.value)
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


def _constant(other: Any, op: str, left: Any, right: Any) -> float:
    if type(other) in _FAST:
        return float(other)
    if isinstance(other, numbers.Real) and not isinstance(other, (bool, np.bool_)):
        return float(other)
    raise _unsupported(op, left, right, "Var")


def _check_var(output: Any, routine: str) -> Var:
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
    output = _check_var(output, "topological_order")
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


def _labels(order: Sequence[Var]) -> dict[int, str]:
    labels: dict[int, str] = {}
    k = 0
    for node in order:
        if node.name is not None:
            labels[id(node)] = node.name
        else:
            k += 1
            labels[id(node)] = f"v{k}"
    return labels


def _definition(node: Var, labels: Mapping[int, str]) -> str:
    if not node._parents:
        return "input"
    return node._expr.format(*(labels[id(p)] for p, _ in node._parents))


def _bar(label: str) -> str:
    """The adjoint's symbol: v̄3 for v3, x̄ for x, adj(name) for a longer name."""
    if label[:1] == "v" and label[1:].isdigit():
        return f"v\u0304{label[1:]}"
    return f"{label}\u0304" if len(label) == 1 else f"adj({label})"


def _fmt(x: float) -> str:
    return f"{x:.6g}"


@dataclass(frozen=True)
class Trace:
    """One sweep through a graph as a table: a row per node, in the order of the sweep.

    ``str(trace)`` (and the repr) is a plain-text table; in a notebook the trace shows as
    an HTML table. ``trace.column(name)`` gives one column as a list.

    Attributes
    ----------
    sweep : str
        ``"forward"`` or ``"reverse"``.
    columns : tuple of str
        The column headings.
    rows : tuple of tuple
        One row per node; the last entry of each row is a float.
    """

    sweep: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def column(self, name: str) -> list[Any]:
        """The entries of the column headed ``name``."""
        if name not in self.columns:
            msg = f"no column {name!r}; the columns are {', '.join(map(repr, self.columns))}"
            raise KeyError(msg)
        j = self.columns.index(name)
        return [row[j] for row in self.rows]

    @staticmethod
    def _width(text: str) -> int:
        return sum(not unicodedata.combining(c) for c in text)

    def _cells(self) -> list[list[str]]:
        return [[_fmt(c) if isinstance(c, float) else str(c) for c in row] for row in self.rows]

    def __str__(self) -> str:
        cells = [list(self.columns), *self._cells()]
        widths = [max(self._width(r[j]) for r in cells) for j in range(len(self.columns))]
        lines = [
            "  ".join(c + " " * (w - self._width(c)) for c, w in zip(r, widths, strict=True))
            for r in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(line.rstrip() for line in lines)

    def __repr__(self) -> str:
        return f"{self.sweep} sweep\n{self}"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._cells()
        )
        caption = f"<caption>{html.escape(self.sweep)} sweep</caption>"
        return f'<table class="sb-trace">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def forward_trace(output: Var, tangents: Mapping[Var, float] | None = None) -> Trace:
    """The forward sweep of ``output``'s graph: each node's definition and value.

    With ``tangents`` (a seed ``{input: dx}``, missing inputs count as 0) the table also
    has the forward-mode tangent of every node, ``v̇ = Σ (∂v/∂u) u̇`` over its inputs
    ``u``: the last row's tangent is the directional derivative (a Jacobian-vector
    product).

    Examples
    --------
    >>> x, y = Var(2.0, name="x"), Var(5.0, name="y")
    >>> f = x**2 * y + 3 * y
    >>> forward_trace(f, tangents={x: 1.0})
    forward sweep
    node  definition  value  tangent
    ----  ----------  -----  -------
    x     input       2      1
    v1    x²          4      4
    y     input       5      0
    v2    v1 · y      20     20
    v3    3 · y       15     0
    v4    v2 + v3     35     20
    """
    output = _check_var(output, "forward_trace")
    order = topological_order(output)
    labels = _labels(order)
    if tangents is None:
        rows = tuple((labels[id(n)], _definition(n, labels), n.value) for n in order)
        return Trace("forward", ("node", "definition", "value"), rows)
    if not isinstance(tangents, Mapping):
        msg = f"tangents must be a dict {{input Var: tangent}}, got {type(tangents).__name__}"
        raise TypeError(msg)
    seed: dict[int, float] = {}
    in_graph = {id(n) for n in order}
    for var, dot in tangents.items():
        if not isinstance(var, Var) or id(var) not in in_graph or var._parents:
            msg = f"tangents keys must be input Vars of this graph, got {var!r:.60}"
            raise ValueError(msg)
        seed[id(var)] = _number(dot, "tangent")
    dots: dict[int, float] = {}
    rows_t = []
    for n in order:
        if n._parents:
            dots[id(n)] = sum(local * dots[id(p)] for p, local in n._parents)
        else:
            dots[id(n)] = seed.get(id(n), 0.0)
        rows_t.append((labels[id(n)], _definition(n, labels), n.value, dots[id(n)]))
    return Trace("forward", ("node", "definition", "value", "tangent"), tuple(rows_t))


def reverse_trace(output: Var) -> Trace:
    """Run ``output.backward()`` and return the reverse sweep as a table.

    One row per node, from the output back to the inputs: the node's adjoint
    ``v̄ = ∂output/∂v`` written as the sum over every use of ``v`` (``ū · ∂u/∂v`` for each
    node ``u`` that uses it), that sum with numbers, and its value.

    Examples
    --------
    >>> x, y = Var(2.0, name="x"), Var(5.0, name="y")
    >>> reverse_trace(x**2 * y + 3 * y)
    reverse sweep
    node  adjoint = sum over uses    with numbers   value
    ----  -------------------------  -------------  -----
    v4    1 (the output)             1              1
    v3    v̄4 · ∂v4/∂v3               1 · 1          1
    v2    v̄4 · ∂v4/∂v2               1 · 1          1
    y     v̄2 · ∂v2/∂y + v̄3 · ∂v3/∂y  1 · 4 + 1 · 3  7
    v1    v̄2 · ∂v2/∂v1               1 · 5          5
    x     v̄1 · ∂v1/∂x                5 · 4          20
    """
    output = _check_var(output, "reverse_trace")
    output.backward()
    order = topological_order(output)
    labels = _labels(order)
    uses: dict[int, list[tuple[Var, float]]] = {id(n): [] for n in order}
    for n in order:
        for parent, local in n._parents:
            uses[id(parent)].append((n, local))
    rows = []
    for n in reversed(order):
        me = labels[id(n)]
        if n is output:
            rows.append((me, "1 (the output)", "1", n.grad))
            continue
        terms = [f"{_bar(labels[id(u)])} · ∂{labels[id(u)]}/∂{me}" for u, _ in uses[id(n)]]
        numbers_ = [f"{_fmt(u.grad)} · {_fmt(local)}" for u, local in uses[id(n)]]
        rows.append((me, " + ".join(terms), " + ".join(numbers_), n.grad))
    return Trace(
        "reverse", ("node", "adjoint = sum over uses", "with numbers", "value"), tuple(rows)
    )


def _mean_height(n: Var, pos: Mapping[int, tuple[float, float]]) -> float:
    placed = [pos[id(p)][1] for p, _ in n._parents if id(p) in pos]
    return sum(placed) / len(placed) if placed else 0.0


def _layout(order: Sequence[Var]) -> dict[int, tuple[float, float]]:
    """Columns and rows for drawing: the output in the last column, every other node (an
    input too) in the column just before its earliest use, so that arrows stay short;
    within a column, nodes sorted by the mean height of their inputs (fewer crossings)."""
    asap: dict[int, int] = {}
    for n in order:
        asap[id(n)] = 1 + max((asap[id(p)] for p, _ in n._parents), default=-1)
    users: dict[int, list[Var]] = {id(n): [] for n in order}
    for n in order:
        for p, _ in n._parents:
            users[id(p)].append(n)
    column: dict[int, int] = {}
    for n in reversed(order):
        if not users[id(n)]:
            column[id(n)] = asap[id(n)]
        else:
            column[id(n)] = min(column[id(u)] for u in users[id(n)]) - 1
    pos: dict[int, tuple[float, float]] = {}
    for c in range(max(column.values()) + 1):
        nodes = [n for n in order if column[id(n)] == c]
        if c > 0:
            nodes.sort(key=lambda n: -_mean_height(n, pos))
        for k, n in enumerate(nodes):
            pos[id(n)] = (2.2 * c, (len(nodes) - 1) / 2.0 - k)
    return pos


def draw_graph(
    output: Var,
    *,
    ax: matplotlib.axes.Axes | None = None,
    adjoints: bool = True,
    edge_labels: bool = True,
    title: str | None = None,
) -> tuple[matplotlib.figure.Figure, matplotlib.axes.Axes]:
    """Draw ``output``'s computational graph, from the inputs to the output on the right.

    Each node is a box with its label, its definition, its forward value and (with
    ``adjoints=True``, which runs ``output.backward()``) its adjoint ``∂output/∂node``.
    Each arrow goes from an input to the node that uses it and, with ``edge_labels``, is
    marked with the local partial derivative. Each node sits one column before its first use,
    inputs (blue) included. Uses matplotlib only; for graphs of a few dozen nodes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> x, y = Var(2.0, name="x"), Var(5.0, name="y")
    >>> fig, ax = draw_graph(x**2 * y + 3 * y)
    >>> sum("value" in t.get_text() for t in ax.texts)  # one box per node
    6
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from slopebook.plotting import PALETTE

    output = _check_var(output, "draw_graph")
    if adjoints:
        output.backward()
    order = topological_order(output)
    labels = _labels(order)
    pos = _layout(order)
    n_columns = len({x for x, _ in pos.values()})
    tallest = max(sum(1 for q in pos.values() if q[0] == x) for x, _ in pos.values())
    if ax is None:
        fig, ax = plt.subplots(figsize=(2.1 * n_columns + 1.0, 1.5 * tallest + 1.2))
    else:
        fig = ax.figure  # type: ignore[assignment]
    ax.set_axis_off()
    for n in order:
        x1, y1 = pos[id(n)]
        for parent, local in n._parents:
            x0, y0 = pos[id(parent)]
            ax.annotate(
                "",
                xy=(x1 - 0.62, y1),
                xytext=(x0 + 0.62, y0),
                arrowprops={"arrowstyle": "-|>", "color": "#7f7f7f", "lw": 1.2},
                zorder=1,
            )
            if edge_labels:
                ax.text(
                    (x0 + x1) / 2,
                    (y0 + y1) / 2 + 0.08,
                    f"{local:.3g}",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color=PALETTE["vermillion"],
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.9},
                    zorder=2,
                )
    for n in order:
        x, y = pos[id(n)]
        lines = [labels[id(n)]]
        if n._parents:
            lines.append(_definition(n, labels))
        lines.append(f"value {n.value:.4g}")
        if adjoints:
            lines.append(f"adjoint {n.grad:.4g}")
        leaf = not n._parents
        ax.text(
            x,
            y,
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=8.5,
            bbox={
                "boxstyle": "round,pad=0.35",
                "fc": "#e8f1f8" if leaf else "white",
                "ec": PALETTE["blue"] if leaf else PALETTE["ink"],
                "lw": 1.2,
            },
            zorder=3,
        )
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    if title:
        ax.set_title(title)
    return fig, ax


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
        self.value = _number(value, "Dual(value)")
        self.tangent = _number(tangent, "Dual(tangent)")

    def __repr__(self) -> str:
        return f"Dual({self.value!r}, {self.tangent!r})"

    def _other(self, other: Any, op: str, left: Any, right: Any) -> Dual:
        if type(other) is Dual:
            return other
        if type(other) in _FAST or (
            isinstance(other, numbers.Real) and not isinstance(other, (bool, np.bool_))
        ):
            return _dual(float(other), 0.0)
        raise _unsupported(op, left, right, "Dual")

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
        if isinstance(exponent, (Var, Dual)) or not isinstance(exponent, numbers.Real):
            msg = (
                f"a Dual can only be raised to a plain number, got {type(exponent).__name__}; "
                "for x ** y with y a Dual write (y * x.log()).exp()"
            )
            raise TypeError(msg)
        p = _number(exponent, "exponent")
        _check_power(self.value, p)
        local = p * self.value ** (p - 1.0) if p != 0.0 else 0.0
        return _dual(self.value**p, local * self.tangent)

    def __rpow__(self, base: Any) -> Dual:
        msg = (
            f"a number to the power of a Dual is not supported ({type(base).__name__} ** Dual); "
            "write (y * math.log(base)).exp() for base ** y with base > 0"
        )
        raise TypeError(msg)

    def __neg__(self) -> Dual:
        return _dual(-self.value, -self.tangent)

    def exp(self) -> Dual:
        """``e ** self``."""
        e = math.exp(self.value)
        return _dual(e, e * self.tangent)

    def log(self) -> Dual:
        """The natural logarithm (``ValueError`` for a value ≤ 0)."""
        _check_log(self.value)
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
        s = _sigmoid(self.value)
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
        raise _zero_division(kind="Dual")
    q = a.value / b.value
    return _dual(q, (a.tangent - q * b.tangent) / b.value)


def _point(x: Any) -> list[float]:
    try:
        items = list(x)
    except TypeError as err:
        msg = f"x must be a sequence of real numbers, got {type(x).__name__}: {x!r:.60}"
        raise TypeError(msg) from err
    if not items:
        msg = "x must have at least one component, got an empty sequence"
        raise ValueError(msg)
    return [_number(v, f"x[{i}]") for i, v in enumerate(items)]


def _outputs(out: Any, kind: type) -> list[Any]:
    try:
        outs = [out] if isinstance(out, kind) else list(out)
    except TypeError:
        outs = []
    if not outs or not all(isinstance(o, kind) for o in outs):
        msg = (
            f"f must return a {kind.__name__} or a sequence of them (computed from its "
            f"inputs), got {out!r:.60}"
        )
        raise TypeError(msg)
    return outs


def gradient(f: Callable[[list[Var]], Var], x: Sequence[float]) -> NDArray[np.float64]:
    """The gradient of a scalar ``f`` at ``x`` by one reverse-mode pass.

    ``f`` takes a list of :class:`Var` (one per component of ``x``) and returns a Var.

    Examples
    --------
    >>> gradient(lambda v: v[0] ** 2 * v[1] + 3 * v[1], [2.0, 5.0])
    array([20.,  7.])
    """
    inputs = [Var(v) for v in _point(x)]
    (out,) = _outputs(f(inputs), Var)
    out.backward()
    return np.array([v.grad for v in inputs])


def jacobian(
    f: Callable[[list[Any]], Any], x: Sequence[float], mode: str = "reverse"
) -> NDArray[np.float64]:
    """The ``(m, n)`` Jacobian of ``f`` at ``x``, by forward or by reverse mode.

    ``mode="forward"`` runs ``f`` on :class:`Dual` numbers ``n`` times (one
    Jacobian-vector product per input, a column each); ``mode="reverse"`` runs ``f`` on
    :class:`Var` once and backward ``m`` times (one vector-Jacobian product per output, a
    row each). ``f`` takes a list of numbers of the chosen kind and returns one or a
    sequence of them.

    Examples
    --------
    >>> f = lambda v: [v[0] * v[1], v[0].sin(), v[1] ** 3]
    >>> J = jacobian(f, [1.0, 2.0], mode="forward")
    >>> J.shape
    (3, 2)
    >>> bool(np.allclose(J, jacobian(f, [1.0, 2.0], mode="reverse")))
    True
    """
    point = _point(x)
    if mode == "forward":
        columns = []
        for j in range(len(point)):
            seeded = [Dual(v, 1.0 if i == j else 0.0) for i, v in enumerate(point)]
            columns.append([o.tangent for o in _outputs(f(seeded), Dual)])
        return np.array(columns).T
    if mode == "reverse":
        inputs = [Var(v) for v in point]
        rows = []
        for out in _outputs(f(inputs), Var):
            for v in inputs:  # an input this output does not use keeps grad 0
                v.grad = 0.0
            out.backward()
            rows.append([v.grad for v in inputs])
        return np.array(rows)
    msg = f"unknown mode {mode!r}; choose one of 'forward', 'reverse'"
    raise ValueError(msg)
