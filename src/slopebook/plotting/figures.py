"""The plots that several chapters and demos share.

Every routine returns ``(fig, ax)`` and accepts an existing ``ax``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from slopebook._validation import check_callable, integer, positive_number
from slopebook.plotting._style import PALETTE, finish, new_axes

__all__ = [
    "plot_curves",
    "plot_derivative_comparison",
    "plot_descent_steps_1d",
    "plot_error_vs_step",
    "plot_gradient_field",
    "plot_slope_field",
]


def plot_derivative_comparison(
    x: ArrayLike,
    curves: Mapping[str, ArrayLike],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str = "derivative",
) -> tuple[Figure, Axes]:
    """Overlay several estimates of one derivative: the first curve is drawn as the truth.

    Later curves get dashed and dotted lines so that overlapping curves stay visible.

    Examples
    --------
    >>> x = np.linspace(0, 1, 5)
    >>> fig, ax = plot_derivative_comparison(x, {"true": x, "estimate": x})
    >>> len(ax.lines)
    2
    >>> plt.close(fig)
    """
    fig, ax = new_axes(ax)
    x = np.asarray(x)
    styles = [("-", 3.0), ("--", 2.0), (":", 2.4), ("-.", 1.8)]
    for k, (label, y) in enumerate(curves.items()):
        ls, lw = styles[k % len(styles)]
        ax.plot(x, np.asarray(y), ls, lw=lw, label=label)
    finish(ax, "x", ylabel, title, legend={})
    return fig, ax


def plot_error_vs_step(
    steps: ArrayLike,
    errors: Mapping[str, ArrayLike],
    *,
    ax: Axes | None = None,
    title: str | None = "Error of a finite difference against its step h",
    best: Mapping[str, float] | None = None,
) -> tuple[Figure, Axes]:
    """Log-log plot of error against step size ``h``, one line per method.

    Exactly-zero errors are drawn at the smallest positive double so that the log axis
    can show them. ``best`` marks a chosen step for a method with a vertical line.

    Examples
    --------
    >>> hs = np.logspace(-8, -1, 8)
    >>> fig, ax = plot_error_vs_step(hs, {"forward": hs}, best={"forward": 1e-8})
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(fig)
    """
    fig, ax = new_axes(ax)
    hs = np.asarray(steps, dtype=float)
    colors = {}
    for label, err in errors.items():
        e = np.maximum(np.abs(np.asarray(err, dtype=float)), np.finfo(float).tiny)
        (line,) = ax.loglog(hs, e, "o-", ms=3.5, label=label)
        colors[label] = line.get_color()
    for label, h in (best or {}).items():
        ax.axvline(h, color=colors.get(label, "gray"), ls=":", lw=1.4)
    finish(ax, "step h", "absolute error", title, legend={})
    return fig, ax


def plot_slope_field(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    xs: ArrayLike,
    *,
    ax: Axes | None = None,
    descent: bool = False,
    arrow_length: float = 0.35,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """A 1-D curve with an arrow at each sample pointing along its slope.

    Each arrow lies along the tangent ``(1, L'(x))`` and is oriented towards larger ``L``:
    along ``(1, L')`` where ``L' > 0`` and along ``-(1, L')`` where ``L' < 0`` (a plain
    quiver of ``(1, L')`` would point downhill wherever ``L' < 0``); where ``L' = 0`` it is
    horizontal. The tangent is not the gradient: in 1-D the gradient is the signed number
    ``L'(x)``, whose sign says which way along the x-axis is uphill, and the arrow's
    horizontal part has that sign. ``descent=True`` flips every arrow, so that its
    horizontal part points the way gradient descent steps, ``-L'(x)``. Arrows have equal
    length so that direction, not size, is read.

    Examples
    --------
    >>> fig, ax = plot_slope_field(np.sin, np.cos, np.linspace(-3, 3, 7))
    >>> plt.close(fig)
    """
    f = check_callable(f)
    df = check_callable(df)
    fig, ax = new_axes(ax)
    xs = np.asarray(xs, dtype=float)
    dense = np.linspace(xs.min(), xs.max(), 400)
    ax.plot(dense, f(dense), color=PALETTE["ink"], lw=1.8, label="L(x)")
    slope = np.asarray(df(xs), dtype=float)
    # Along the tangent (1, L'(x)), oriented to where L increases: sign(L') (1, L').
    dx = np.sign(slope) * 1.0
    dx[dx == 0] = 1.0
    dy = dx * slope
    if descent:
        dx, dy = -dx, -dy
    ax.set_aspect("equal", adjustable="datalim")
    norm = np.hypot(dx, dy)
    color = PALETTE["vermillion"] if descent else PALETTE["blue"]
    ax.quiver(
        xs,
        f(xs),
        dx / norm * arrow_length,
        dy / norm * arrow_length,
        angles="xy",
        scale_units="xy",
        scale=1,
        width=0.005,
        color=color,
        label="descent step (−slope)" if descent else "uphill (+slope)",
    )
    finish(ax, "x", "L(x)", title, legend={"loc": "upper center"})
    return fig, ax


def plot_gradient_field(
    f: Callable[[Any], Any],
    grad: Callable[[Any], Any],
    *,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    n: int = 15,
    levels: int = 12,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Contours of ``f(x, y)`` with its gradient drawn as arrows on an ``n × n`` grid.

    ``f`` and ``grad`` take a stacked grid ``np.array([X, Y])`` (coordinates on the
    leading axis), as the functions in :mod:`slopebook.landscapes` do. Wherever
    ``grad`` is the gradient of ``f`` and is not zero, the arrows cross the contours at
    right angles, pointing uphill; the axes are drawn with equal scales, so the right
    angles are visible.

    Examples
    --------
    >>> from slopebook.landscapes import elliptic_bowl, elliptic_bowl_gradient
    >>> fig, ax = plot_gradient_field(elliptic_bowl, elliptic_bowl_gradient, n=5)
    >>> plt.close(fig)
    """
    f = check_callable(f)
    grad = check_callable(grad)
    n = integer(n, "n (arrows per side)", minimum=2, error=ValueError)
    fig, ax = new_axes(ax)
    X, Y = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    cs = ax.contour(X, Y, f(np.array([X, Y])), levels=levels, cmap="viridis", linewidths=1.2)
    ax.clabel(cs, fontsize=8, fmt="%.3g")
    Xq, Yq = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    G = np.asarray(grad(np.array([Xq, Yq])), dtype=float)
    ax.quiver(Xq, Yq, G[0], G[1], color=PALETTE["vermillion"], angles="xy", width=0.004)
    ax.set_aspect("equal")
    finish(ax, "x", "y", title)
    return fig, ax


def plot_descent_steps_1d(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    xs: ArrayLike,
    *,
    lr: float,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """The 1-D descent step: a horizontal arrow ``−lr · L'(x)`` from each sample.

    In one dimension the gradient is the single number ``L'(x)``, a vector along the
    ``x`` axis; each arrow is that gradient reversed and scaled by ``lr``. It starts on
    the curve and runs horizontally to where one gradient-descent step with learning
    rate ``lr`` would move ``x``; its length is proportional to ``|L'(x)|``, so arrows
    shrink where the slope flattens (near a minimum, or any critical point).

    Examples
    --------
    >>> fig, ax = plot_descent_steps_1d(np.sin, np.cos, np.linspace(-3, 3, 7), lr=0.3)
    >>> plt.close(fig)
    """
    f = check_callable(f)
    df = check_callable(df, "df")
    rate = positive_number(lr, "lr")
    fig, ax = new_axes(ax)
    xs = np.asarray(xs, dtype=float)
    dense = np.linspace(xs.min(), xs.max(), 400)
    ax.plot(dense, f(dense), color=PALETTE["ink"], lw=1.8, label="L(x)")
    step = -rate * np.asarray(df(xs), dtype=float)
    ax.quiver(
        xs,
        f(xs),
        step,
        np.zeros_like(step),
        angles="xy",
        scale_units="xy",
        scale=1,
        width=0.005,
        color=PALETTE["vermillion"],
        label=f"step −{rate:g}·L'(x)",
    )
    finish(ax, "x", "L(x)", title, legend={"loc": "upper center"})
    return fig, ax


def plot_curves(
    x: ArrayLike,
    curves: Mapping[str, ArrayLike],
    *,
    xlabel: str,
    ylabel: str,
    logx: bool = False,
    logy: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Several curves against one x axis, with markers (loss per step, loss along a slice...).

    Examples
    --------
    >>> fig, ax = plot_curves([1, 2, 3], {"a": [1, 4, 9]}, xlabel="n", ylabel="n²", logy=True)
    >>> ax.get_yscale()
    'log'
    >>> plt.close(fig)
    """
    fig, ax = new_axes(ax)
    xa = np.asarray(x, dtype=float)
    markers = ["o", "s", "^", "D", "v"]
    # Different dashes as well as markers, so that curves lying on top of each other show.
    dashes = ["-", "--", "-.", ":"]
    for k, (label, y) in enumerate(curves.items()):
        ax.plot(
            xa,
            np.asarray(y, dtype=float),
            ls=dashes[k % len(dashes)],
            marker=markers[k % len(markers)],
            ms=3.5,
            label=label,
        )
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    finish(ax, xlabel, ylabel, title, legend={})
    return fig, ax
