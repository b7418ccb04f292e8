"""One figure style for the whole book, and the plots that chapters and demos share.

The style draws on an opaque white "card" with dark ink and the colour-blind-safe
Okabe-Ito palette, so a figure reads the same on the light and the dark theme (a
transparent figure with black text vanishes on a dark page). Every plotting routine
returns ``(fig, ax)`` and accepts an existing ``ax``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from slopebook._validation import check_callable

__all__ = [
    "PALETTE",
    "STYLE",
    "plot_derivative_comparison",
    "plot_error_vs_step",
    "plot_gradient_field",
    "plot_slope_field",
    "plot_step_size_study",
    "style",
    "use_style",
]

#: The Okabe-Ito colours, distinguishable with every common colour-vision deficiency.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "ink": "#1a1a1a",
}

#: The rcParams every slopebook figure uses.
STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.15,
    "text.color": PALETTE["ink"],
    "axes.labelcolor": PALETTE["ink"],
    "axes.edgecolor": "#444444",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9.5,
    "legend.frameon": True,
    "legend.framealpha": 0.9,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": mpl.cycler(
        color=[PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    ),
    "image.cmap": "viridis",
    # Reproducible output: no timestamps or version strings in saved files.
    "svg.hashsalt": "slopebook",
    "pdf.compression": 6,
}


def use_style() -> None:
    """Apply the slopebook style to every figure made from now on (chapters call this once).

    Examples
    --------
    >>> use_style()
    >>> plt.rcParams["figure.facecolor"]
    'white'
    """
    mpl.rcParams.update(STYLE)


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager: the slopebook style inside the ``with`` block only.

    Examples
    --------
    >>> with style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(STYLE):
        yield


def _axes(ax: Axes | None, **fig_kw: Any) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(**fig_kw)
        return fig, ax
    return ax.figure, ax  # type: ignore[return-value]


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
    fig, ax = _axes(ax)
    x = np.asarray(x)
    styles = [("-", 3.0), ("--", 2.0), (":", 2.4), ("-.", 1.8)]
    for k, (label, y) in enumerate(curves.items()):
        ls, lw = styles[k % len(styles)]
        ax.plot(x, np.asarray(y), ls, lw=lw, label=label)
    ax.set_xlabel("x")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
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
    fig, ax = _axes(ax)
    hs = np.asarray(steps, dtype=float)
    colors = {}
    for label, err in errors.items():
        e = np.maximum(np.abs(np.asarray(err, dtype=float)), np.finfo(float).tiny)
        (line,) = ax.loglog(hs, e, "o-", ms=3.5, label=label)
        colors[label] = line.get_color()
    for label, h in (best or {}).items():
        ax.axvline(h, color=colors.get(label, "gray"), ls=":", lw=1.4)
    ax.set_xlabel("step h")
    ax.set_ylabel("absolute error")
    if title:
        ax.set_title(title)
    ax.legend()
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

    With ``descent=False`` each arrow points uphill along the tangent (the direction
    of steepest ascent); ``descent=True`` flips every arrow, which is the step gradient
    descent would take. Arrows have equal length so that direction, not size, is read.

    Examples
    --------
    >>> fig, ax = plot_slope_field(np.sin, np.cos, np.linspace(-3, 3, 7))
    >>> plt.close(fig)
    """
    f = check_callable(f)
    df = check_callable(df)
    fig, ax = _axes(ax)
    xs = np.asarray(xs, dtype=float)
    dense = np.linspace(xs.min(), xs.max(), 400)
    ax.plot(dense, f(dense), color=PALETTE["ink"], lw=1.8, label="L(x)")
    slope = np.asarray(df(xs), dtype=float)
    # The tangent direction (1, L'(x)), pointing to where L increases.
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
    ax.set_xlabel("x")
    ax.set_ylabel("L(x)")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center")
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
    leading axis), as the functions in :mod:`slopebook.landscapes` do. The arrows cross
    the contours at right angles, pointing uphill.

    Examples
    --------
    >>> from slopebook.landscapes import elliptic_bowl, elliptic_bowl_gradient
    >>> fig, ax = plot_gradient_field(elliptic_bowl, elliptic_bowl_gradient, n=5)
    >>> plt.close(fig)
    """
    f = check_callable(f)
    grad = check_callable(grad)
    if not isinstance(n, (int, np.integer)) or n < 2:
        msg = f"n (arrows per side) must be an integer >= 2, got {n!r}"
        raise ValueError(msg)
    fig, ax = _axes(ax)
    X, Y = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    cs = ax.contour(X, Y, f(np.array([X, Y])), levels=levels, cmap="viridis", linewidths=1.2)
    ax.clabel(cs, fontsize=8, fmt="%.3g")
    Xq, Yq = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    G = np.asarray(grad(np.array([Xq, Yq])), dtype=float)
    ax.quiver(Xq, Yq, G[0], G[1], color=PALETTE["vermillion"], angles="xy", width=0.004)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title)
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
    fig, ax = _axes(ax, figsize=(7.2, 4.6))
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
    ax.set_xlabel("step h")
    ax.set_ylabel("largest absolute error")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8.5)
    return fig, ax
