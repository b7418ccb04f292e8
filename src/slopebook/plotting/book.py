"""Book-only figures: each draws the picture of one page of the book.

They are kept apart from the shared plots in :mod:`slopebook.plotting.figures` because
each serves a single chapter, appendix or demo; they are importable from
:mod:`slopebook.plotting` like every other plot. Every routine returns ``(fig, ax)`` and
accepts an existing ``ax``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from slopebook._validation import check_callable
from slopebook.plotting._style import PALETTE, finish, new_axes

__all__ = [
    "plot_descent_1d",
    "plot_descent_path",
    "plot_directional_derivatives",
    "plot_gradient_norms",
    "plot_grouped_bars",
    "plot_loss_slice_2d",
    "plot_matrix",
    "plot_partial_slices",
    "plot_paths_2d",
    "plot_step_size_study",
]


def plot_gradient_norms(
    norms: Mapping[str, ArrayLike],
    *,
    ax: Axes | None = None,
    title: str | None = "Gradient size at each layer",
) -> tuple[Figure, Axes]:
    """Gradient size against layer index on a log scale, one line per network.

    ``norms[label][k]`` is the gradient size at layer ``k`` (0 = input), as returned by
    ``slopebook.deepnets.gradient_norms_through_depth``. On this log axis a straight line
    rising from the input (left) to the output (right) is a gradient vanishing
    geometrically toward the input; a falling one is a gradient exploding toward it.

    Examples
    --------
    >>> vanishing = 0.25 ** np.arange(5)[::-1]  # 1 at the output, 0.25**4 at the input
    >>> fig, ax = plot_gradient_norms({"flat": np.ones(5), "vanishing": vanishing})
    >>> ax.get_yscale(), len(ax.lines)
    ('log', 2)
    >>> plt.close(fig)
    """
    from matplotlib.ticker import MaxNLocator

    if not isinstance(norms, Mapping) or not norms:
        msg = "norms must be a non-empty mapping {label: gradient sizes per layer}"
        raise TypeError(msg)
    fig, ax = new_axes(ax)
    markers = "osD^v"
    for k, (label, values) in enumerate(norms.items()):
        v = np.asarray(values, dtype=float)
        if v.ndim != 1 or np.any(v <= 0) or not np.all(np.isfinite(v)):
            msg = f"norms[{label!r}] must be a 1-D array of positive finite sizes"
            raise ValueError(msg)
        ax.semilogy(np.arange(v.size), v, marker=markers[k % len(markers)], ms=4, label=label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    finish(ax, "layer (0 = input, right = output)", "gradient size ‖∂L/∂h‖", title, legend={})
    return fig, ax


def plot_partial_slices(
    f: Callable[[Any], Any],
    point: ArrayLike,
    partials: ArrayLike,
    *,
    half_width: float = 1.5,
    names: tuple[str, str] = ("x", "y"),
    axes: tuple[Axes, Axes] | None = None,
) -> tuple[Figure, NDArray]:
    """Two slices through ``f(x, y)`` at ``point``, each with the tangent a partial predicts.

    The left panel moves ``x`` with ``y`` frozen; the right panel moves ``y`` with ``x``
    frozen. Each tangent line has slope equal to the given partial derivative, so a
    correct partial gives the line that best matches the slice near the point (it
    touches the slice there; it may cross it at an inflection point, and it lies along
    a slice that is straight).

    Examples
    --------
    >>> from slopebook.landscapes import mixing_board, mixing_board_gradient
    >>> fig, axes = plot_partial_slices(mixing_board, [2.0, 5.0], mixing_board_gradient([2, 5]))
    >>> len(axes)
    2
    >>> plt.close(fig)
    """
    f = check_callable(f)
    p = np.asarray(point, dtype=float)
    g = np.asarray(partials, dtype=float)
    if p.shape != (2,) or g.shape != (2,):
        msg = f"point and partials must both have shape (2,), got {p.shape} and {g.shape}"
        raise ValueError(msg)
    if axes is None:
        fig, ax_arr = plt.subplots(1, 2, figsize=(9.0, 3.6))
    else:
        ax_arr = np.asarray(axes)
        fig = ax_arr[0].figure
    f0 = float(f(p))
    t = np.linspace(-half_width, half_width, 200)
    for i, ax in enumerate(ax_arr):
        moving = p[:, None] + np.outer(np.eye(2)[i], t)
        ax.plot(
            moving[i],
            f(moving),
            color=PALETTE["ink"],
            lw=2.0,
            label=f"f with {names[1 - i]} = {p[1 - i]:g} frozen",
        )
        ax.plot(
            moving[i],
            f0 + g[i] * t,
            "--",
            color=PALETTE["vermillion"],
            lw=1.8,
            label=f"tangent, slope ∂f/∂{names[i]} = {g[i]:.4g}",
        )
        ax.plot([p[i]], [f0], "o", color=PALETTE["blue"], ms=7)
        ax.set_xlabel(names[i])
        ax.set_ylabel("f")
        ax.set_title(f"Nudge {names[i]} only")
        ax.legend(loc="upper left", fontsize=8.5)
    return fig, ax_arr


def plot_descent_path(
    path: ArrayLike,
    *,
    ax: Axes,
    label: str = "gradient descent",
    color: str | None = None,
) -> tuple[Figure, Axes]:
    """Draw a 2-D descent path (rows are points) on existing axes, start and end marked.

    Use it on top of :func:`plot_gradient_field`.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = plot_descent_path([[3.0, 4.0], [2.94, 3.92], [2.88, 3.84]], ax=ax)
    >>> len(ax.lines)
    2
    >>> plt.close(fig)
    """
    pts = np.asarray(path, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or pts.shape[0] < 1:
        msg = f"path must have shape (steps + 1, 2), got {pts.shape}"
        raise ValueError(msg)
    c = color or PALETTE["blue"]
    ax.plot(pts[:, 0], pts[:, 1], "o-", color=c, ms=3, lw=1.6, label=label)
    ax.plot(pts[-1:, 0], pts[-1:, 1], "*", color=c, ms=12)
    ax.legend(loc="lower right")
    return ax.figure, ax  # type: ignore[return-value]


def plot_directional_derivatives(
    f: Callable[[Any], Any],
    point: ArrayLike,
    grad: ArrayLike,
    directions: Mapping[str, ArrayLike],
    *,
    xlim: tuple[float, float] = (-1.0, 6.0),
    ylim: tuple[float, float] = (-1.0, 7.0),
    levels: int = 10,
    arrow_length: float = 1.6,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Contours of ``f`` with the gradient at ``point`` and unit directions drawn from it.

    The gradient is drawn in its own colour, 1.5 times ``arrow_length`` long and wider,
    underneath the others (its direction is what matters); every entry of ``directions``
    is normalised and drawn ``arrow_length`` long, labelled with its key (put the slope in
    the key).

    Examples
    --------
    >>> from slopebook.landscapes import bowl
    >>> fig, ax = plot_directional_derivatives(
    ...     bowl, [3.0, 4.0], [6.0, 8.0], {"north-east": [1.0, 1.0], "east": [1.0, 0.0]}
    ... )
    >>> len(ax.get_legend().get_texts())
    3
    >>> plt.close(fig)
    """
    f = check_callable(f)
    p = np.asarray(point, dtype=float).reshape(2)
    g = np.asarray(grad, dtype=float).reshape(2)
    fig, ax = new_axes(ax)
    X, Y = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    cs = ax.contour(X, Y, f(np.array([X, Y])), levels=levels, cmap="viridis", linewidths=1.0)
    ax.clabel(cs, fontsize=8, fmt="%.3g")
    gn = float(np.linalg.norm(g))
    # The gradient is drawn first, longer and wider, so that a direction along it stays visible.
    arrows = [("gradient ∇f", 1.5 * (g / gn if gn else g), PALETTE["vermillion"], 0.016)]
    colours = [PALETTE[c] for c in ("blue", "green", "purple", "orange", "sky")]
    for k, (label, u) in enumerate(directions.items()):
        ua = np.asarray(u, dtype=float).reshape(2)
        n = float(np.linalg.norm(ua))
        if n == 0:
            msg = f"direction {label!r} is the zero vector; give every direction a length"
            raise ValueError(msg)
        arrows.append((label, ua / n, colours[k % len(colours)], 0.008))
    for label, u, colour, width in arrows:
        ax.quiver(
            *p,
            *(u * arrow_length),
            angles="xy",
            scale_units="xy",
            scale=1,
            color=colour,
            width=width,
            label=label,
        )
    ax.plot(*p, "o", color=PALETTE["ink"], ms=5)
    finish(ax, "x", "y", title, legend={"loc": "lower left"}, plane=(xlim, ylim))
    return fig, ax


def plot_matrix(
    M: ArrayLike,
    *,
    row_labels: list[str] | None = None,
    col_labels: list[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    fmt: str = "{:.3g}",
    annotate: bool = True,
) -> tuple[Figure, Axes]:
    """A matrix as a heat map, with every entry written in its cell (for small matrices).

    Row ``i`` is drawn as the ``i``-th row from the top, so a Jacobian appears with its
    outputs down the side and its inputs across the top, as it is written.

    Examples
    --------
    >>> fig, ax = plot_matrix([[12.0, 4.0], [1.0, 27.0]], row_labels=["f1", "f2"],
    ...                       col_labels=["x", "y"])
    >>> [t.get_text() for t in ax.texts]
    ['12', '4', '1', '27']
    >>> plt.close(fig)
    """
    A = np.asarray(M, dtype=float)
    if A.ndim != 2:
        msg = f"M must be a 2-D matrix, got shape {A.shape}"
        raise ValueError(msg)
    fig, ax = new_axes(ax)
    limit = float(np.max(np.abs(A))) or 1.0
    im = ax.imshow(A, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.grid(False)
    if annotate:
        for (i, j), v in np.ndenumerate(A):
            ink = "white" if abs(v) > 0.6 * limit else PALETTE["ink"]
            ax.text(j, i, fmt.format(v), ha="center", va="center", color=ink, fontsize=11)
    if row_labels is not None:
        ax.set_yticks(range(A.shape[0]), row_labels)
    if col_labels is not None:
        ax.set_xticks(range(A.shape[1]), col_labels)
        ax.xaxis.tick_top()
    if title:
        ax.set_title(title)
    return fig, ax


def plot_paths_2d(
    f: Callable[[Any], Any],
    paths: Mapping[str, ArrayLike],
    *,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    levels: int = 12,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Contours of ``f(np.array([X, Y]))`` with one or more optimisation paths ``(k, 2)``.

    Examples
    --------
    >>> from slopebook.landscapes import bowl
    >>> fig, ax = plot_paths_2d(bowl, {"one step": [[2.0, 1.0], [0.0, 0.0]]})
    >>> len(ax.lines)
    1
    >>> plt.close(fig)
    """
    f = check_callable(f)
    fig, ax = new_axes(ax)
    X, Y = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    ax.contour(X, Y, f(np.array([X, Y])), levels=levels, cmap="viridis", linewidths=1.0)
    markers = ["o", "s", "^", "D"]
    for k, (label, path) in enumerate(paths.items()):
        P = np.asarray(path, dtype=float)
        if P.ndim != 2 or P.shape[1] != 2:
            msg = f"path {label!r} must have shape (k, 2), got {P.shape}"
            raise ValueError(msg)
        ax.plot(P[:, 0], P[:, 1], marker=markers[k % len(markers)], ms=4, lw=1.4, label=label)
    finish(ax, "x", "y", title, legend={"loc": "best"}, plane=(xlim, ylim))
    return fig, ax


def plot_descent_1d(
    f: Callable[[Any], Any],
    paths: Mapping[str, ArrayLike],
    *,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """A 1-D loss curve with the points each descent visited (one marker style per path).

    Points outside ``xlim`` (or inf/nan, after a divergence) are not drawn.

    Examples
    --------
    >>> fig, ax = plot_descent_1d(np.square, {"lr 0.25": [1.0, 0.5, 0.25]})
    >>> len(ax.lines)
    2
    >>> plt.close(fig)
    """
    f = check_callable(f)
    fig, ax = new_axes(ax)
    xs = np.linspace(*xlim, 400)
    ax.plot(xs, f(xs), color=PALETTE["ink"], lw=1.6, label="loss")
    markers = ["o", "s", "^", "D", "v"]
    for k, (label, path) in enumerate(paths.items()):
        P = np.asarray(path, dtype=float).reshape(-1)
        keep = np.isfinite(P) & (xlim[0] <= P) & (xlim[1] >= P)
        with np.errstate(over="ignore", invalid="ignore"):
            ax.plot(
                P[keep],
                f(P[keep]),
                marker=markers[k % len(markers)],
                ms=4,
                lw=0.8,
                alpha=0.85,
                label=label,
            )
    ax.set_xlim(*xlim)
    finish(ax, "weight x", "loss L(x)", title, legend={})
    return fig, ax


def plot_loss_slice_2d(
    alphas: ArrayLike,
    betas: ArrayLike,
    Z: ArrayLike,
    *,
    levels: int = 15,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Contours of a 2-D loss slice ``Z[j, i] = L(w + α_i d₁ + β_j d₂)``; w is marked.

    Examples
    --------
    >>> a = np.linspace(-1, 1, 5)
    >>> A, B = np.meshgrid(a, a)
    >>> fig, ax = plot_loss_slice_2d(a, a, A**2 + B**2)
    >>> plt.close(fig)
    """
    a = np.asarray(alphas, dtype=float)
    b = np.asarray(betas, dtype=float)
    Za = np.asarray(Z, dtype=float)
    if Za.shape != (b.size, a.size):
        msg = f"Z must have shape (len(betas), len(alphas)) = {(b.size, a.size)}, got {Za.shape}"
        raise ValueError(msg)
    fig, ax = new_axes(ax)
    A, B = np.meshgrid(a, b)
    cs = ax.contour(A, B, Za, levels=levels, cmap="viridis", linewidths=1.0)
    ax.clabel(cs, fontsize=7, fmt="%.2g")
    ax.plot(0.0, 0.0, "*", color=PALETTE["vermillion"], ms=12, label="trained weights w")
    ax.set_aspect("equal")
    finish(ax, "α (along d₁)", "β (along d₂)", title, legend={"loc": "upper right"})
    return fig, ax


def plot_grouped_bars(
    groups: Mapping[str, Mapping[str, float]],
    *,
    ylabel: str,
    logy: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Grouped bars: one group per outer key, one bar per inner key, each bar labelled.

    Examples
    --------
    >>> fig, ax = plot_grouped_bars({"wide": {"rows": 1.0, "columns": 9.0}}, ylabel="ms")
    >>> len(ax.patches)
    2
    >>> plt.close(fig)
    """
    fig, ax = new_axes(ax)
    names = list(groups)
    bars = list(dict.fromkeys(k for g in groups.values() for k in g))
    width = 0.8 / max(1, len(bars))
    for k, bar in enumerate(bars):
        xs = np.arange(len(names)) + (k - (len(bars) - 1) / 2) * width
        ys = [float(groups[n].get(bar, np.nan)) for n in names]
        rects = ax.bar(xs, ys, width=width, label=bar)
        ax.bar_label(rects, fmt="%.3g", fontsize=8, padding=2)
    ax.set_xticks(range(len(names)), names)
    if logy:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(title)
    ax.legend()
    return fig, ax


def plot_step_size_study(
    study: Any,
    *,
    ax: Axes | None = None,
    title: str | None = "Error against step: measured, theory and best step",
) -> tuple[Figure, Axes]:
    """Draw a ``StepSizeStudy`` (:func:`slopebook.step_size_study`): error against ``h``.

    Measured errors are solid lines with dots, the error model of each method is dashed
    in the same colour, its predicted best step ``h*`` is a star at the predicted best
    error, and the adaptive (Richardson) estimate is a horizontal line, since it chooses
    its own steps. Exactly-zero errors are drawn at the smallest positive double.

    Examples
    --------
    >>> from slopebook.study import step_size_study
    >>> s = step_size_study(np.sin, np.cos, np.linspace(-3, 3, 20))
    >>> fig, ax = plot_step_size_study(s)
    >>> len(ax.get_legend().get_texts())
    4
    >>> plt.close(fig)
    """
    fig, ax = new_axes(ax, figsize=(7.2, 4.6))
    tiny = np.finfo(float).tiny
    hs = np.asarray(study.steps, dtype=float)
    colors = {
        "forward": PALETTE["orange"],
        "central": PALETTE["blue"],
        "complex": PALETTE["green"],
    }
    for method, err in study.errors.items():
        c = colors.get(method, PALETTE["ink"])
        ax.loglog(hs, np.maximum(err, tiny), "o-", ms=3, lw=1.6, color=c, label=method)
        ax.loglog(hs, np.maximum(study.theory[method], tiny), "--", lw=1.2, color=c)
        ax.plot(
            study.best_step[method],
            study.best_error[method],
            "*",
            ms=14,
            color=c,
            markeredgecolor=PALETTE["ink"],
        )
    ax.axhline(
        max(study.adaptive_error, tiny),
        color=PALETTE["vermillion"],
        lw=1.8,
        label=f"adaptive (Richardson, {study.adaptive_nfev} evaluations)",
    )
    ax.set_ylim(max(tiny, 1e-17), None)
    finish(
        ax,
        "step h",
        "largest absolute error",
        title,
        legend={"loc": "upper left", "fontsize": 8.5},
    )
    return fig, ax
