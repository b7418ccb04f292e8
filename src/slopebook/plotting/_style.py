"""The book's figure style: palette, rcParams, and the helpers every plot uses.

The style draws on an opaque white "card" with dark ink and the colour-blind-safe
Okabe-Ito palette, so a figure reads the same on the light and the dark theme (a
transparent figure with black text vanishes on a dark page).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["PALETTE", "STYLE", "finish", "new_axes", "style", "use_style"]

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
STYLE: dict[RcKeyType, Any] = {
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
    "axes.prop_cycle": cycler(
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


def new_axes(ax: Axes | None, **fig_kw: Any) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new figure and axes (``fig_kw`` to ``plt.subplots``)."""
    if ax is None:
        fig, ax = plt.subplots(**fig_kw)
        return fig, ax
    return ax.figure, ax  # type: ignore[return-value]


def finish(
    ax: Axes,
    xlabel: str,
    ylabel: str,
    title: str | None,
    *,
    legend: dict[str, Any] | None = None,
    plane: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> None:
    """Label the axes, add the title if there is one and, if ``legend`` is given (``{}``
    for matplotlib's defaults), a legend. ``plane=(xlim, ylim)`` also fixes the limits
    and an equal aspect, so that a 2-D view does not distort angles."""
    if plane is not None:
        ax.set_xlim(*plane[0])
        ax.set_ylim(*plane[1])
        ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if legend is not None:
        ax.legend(**legend)
