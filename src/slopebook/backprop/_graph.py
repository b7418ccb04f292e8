"""Drawing a computational graph: :func:`draw_graph` (matplotlib, imported when it draws)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from slopebook.backprop._reverse import (
    Var,
    check_var,
    definition,
    node_labels,
    topological_order,
)

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure

__all__ = ["draw_graph"]


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

    output = check_var(output, "draw_graph")
    if adjoints:
        output.backward()
    order = topological_order(output)
    labels = node_labels(order)
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
            lines.append(definition(n, labels))
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
