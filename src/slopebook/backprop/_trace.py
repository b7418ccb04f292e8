"""A sweep through a graph as a table: :class:`Trace`, filled by :func:`forward_trace`
(values, and tangents from a seed) and by :func:`reverse_trace` (adjoints, term by term)."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slopebook.backprop._common import number
from slopebook.backprop._reverse import (
    Var,
    check_var,
    definition,
    node_labels,
    topological_order,
)

__all__ = ["Trace", "forward_trace", "reverse_trace"]


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
    output = check_var(output, "forward_trace")
    order = topological_order(output)
    labels = node_labels(order)
    if tangents is None:
        rows = tuple((labels[id(n)], definition(n, labels), n.value) for n in order)
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
        seed[id(var)] = number(dot, "tangent")
    dots: dict[int, float] = {}
    rows_t = []
    for n in order:
        if n._parents:
            dots[id(n)] = sum(local * dots[id(p)] for p, local in n._parents)
        else:
            dots[id(n)] = seed.get(id(n), 0.0)
        rows_t.append((labels[id(n)], definition(n, labels), n.value, dots[id(n)]))
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
    output = check_var(output, "reverse_trace")
    output.backward()
    order = topological_order(output)
    labels = node_labels(order)
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
