"""Animations of gradient descent that play offline, inside the page.

:func:`animate_descent_1d` and :func:`animate_descent_2d` turn a trajectory (for example
from ``slopebook.gradient_descent``) into a matplotlib ``FuncAnimation``;
:func:`to_offline_html` renders it as self-contained HTML (frames inlined as base64
images, the player's JavaScript inlined too): nothing is fetched from the network, so
the animation plays from the static files alone.

Animations are kept light on purpose: at most ``max_frames`` frames (the trajectory is
subsampled evenly, first and last points kept) at a low resolution.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from numpy.typing import ArrayLike, NDArray

from slopebook._validation import check_callable, integer
from slopebook.plotting._style import PALETTE, STYLE, finish

__all__ = [
    "animate_descent_1d",
    "animate_descent_2d",
    "frame_indices",
    "offline_player",
    "to_offline_html",
]

#: Resolution of animation frames: low, so that a page with an animation stays light.
ANIMATION_DPI = 60


def frame_indices(n_points: int, max_frames: int = 40) -> NDArray[np.intp]:
    """Evenly spaced indices into a path of ``n_points``: at most ``max_frames``, ends kept.

    Examples
    --------
    >>> frame_indices(5, max_frames=40)
    array([0, 1, 2, 3, 4])
    >>> frame_indices(101, max_frames=5)
    array([  0,  25,  50,  75, 100])
    """
    n_points = integer(n_points, "n_points", minimum=1, error=ValueError)
    max_frames = integer(max_frames, "max_frames", minimum=2, error=ValueError)
    if n_points <= max_frames:
        return np.arange(n_points)
    return np.unique(np.round(np.linspace(0, n_points - 1, max_frames)).astype(np.intp))


def _path(path: ArrayLike, dim: int) -> NDArray[np.float64]:
    try:
        arr = np.asarray(path, dtype=np.float64)
    except (TypeError, ValueError) as err:
        msg = f"path must be an array of numbers, got {path!r:.60}"
        raise TypeError(msg) from err
    if dim == 1 and arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    expected = "(k,)" if dim == 1 else "(k, 2)"
    if (dim == 1 and arr.ndim != 1) or (dim == 2 and (arr.ndim != 2 or arr.shape[1] != 2)):
        msg = f"path must have shape {expected} (one row per step), got {arr.shape}"
        raise ValueError(msg)
    if arr.shape[0] == 0:
        msg = "path is empty: pass at least the starting point"
        raise ValueError(msg)
    if not np.isfinite(arr[0]).all():
        msg = "path must start at a finite point"
        raise ValueError(msg)
    return arr


def _figure(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Any, Axes]:
    if ax is not None:
        return ax.figure, ax
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=figsize, dpi=ANIMATION_DPI)
    return fig, ax


def animate_descent_1d(
    f: Callable[[Any], Any],
    path: ArrayLike,
    *,
    xlim: tuple[float, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    interval: int = 250,
    max_frames: int = 40,
) -> FuncAnimation:
    """Animate a descent on a 1-D loss: a ball moving along the curve, leaving a trail.

    Parameters
    ----------
    f : callable
        The loss, vectorised over numpy arrays.
    path : array_like, shape (k,)
        The points visited (row ``i`` after ``i`` steps). Points that left ``xlim`` or
        blew up to inf/nan are simply not drawn.
    xlim : (float, float), optional
        The x range shown; by default the range of the finite points, padded.
    ax : matplotlib Axes, optional
        Draw into this axes (else a new small, low-dpi figure).
    title : str, optional
    interval : int, default 250
        Milliseconds between frames.
    max_frames : int, default 40
        At most this many frames; longer paths are subsampled evenly.

    Returns
    -------
    matplotlib.animation.FuncAnimation

    Examples
    --------
    >>> from slopebook.landscapes import toy_loss
    >>> anim = animate_descent_1d(toy_loss, np.linspace(2.0, -0.5, 100), max_frames=12)
    >>> html = to_offline_html(anim)  # 100 points become 12 frames, 0 to 11
    >>> "frames[11]" in html, "frames[12]" in html
    (True, False)
    """
    f = check_callable(f)
    p = _path(path, 1)
    idx = frame_indices(p.size, max_frames)
    finite = p[np.isfinite(p)]
    if xlim is None:
        lo, hi = float(finite.min()), float(finite.max())
        pad = max(0.5, 0.15 * (hi - lo))
        xlim = (lo - pad, hi + pad)
    fig, ax = _figure(ax, (5.0, 3.2))
    xs = np.linspace(*xlim, 300)
    ax.plot(xs, f(xs), color=PALETTE["ink"], lw=1.6, label="loss")
    (trail,) = ax.plot([], [], "o-", color=PALETTE["orange"], ms=3, lw=1, alpha=0.7)
    (ball,) = ax.plot([], [], "o", color=PALETTE["vermillion"], ms=9, label="current weight")
    label = ax.text(0.02, 0.95, "", transform=ax.transAxes, va="top")
    ax.set_xlim(*xlim)
    finish(ax, "weight x", "loss L(x)", title, legend={"loc": "upper right"})

    def draw(frame: int) -> tuple[Any, ...]:
        k = int(idx[frame])
        seen = p[: k + 1]
        with np.errstate(over="ignore", invalid="ignore"):
            trail.set_data(seen, f(seen))
            ball.set_data([p[k]], [f(p[k])])
        label.set_text(f"step {k}")
        return trail, ball, label

    return FuncAnimation(fig, draw, frames=len(idx), interval=interval, blit=False)


def animate_descent_2d(
    f: Callable[[Any], Any],
    path: ArrayLike,
    *,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    levels: int = 12,
    ax: Axes | None = None,
    title: str | None = None,
    interval: int = 250,
    max_frames: int = 40,
) -> FuncAnimation:
    """Animate a descent over the contours of a 2-D loss ``f(np.array([X, Y]))``.

    Parameters are as in :func:`animate_descent_1d`; ``path`` has shape ``(k, 2)`` and
    ``f`` takes a stacked grid (coordinates on the leading axis), as the functions in
    :mod:`slopebook.landscapes` do.

    Examples
    --------
    >>> from slopebook.landscapes import bowl
    >>> path = np.array([[3.0, 4.0], [1.5, 2.0], [0.75, 1.0]])
    >>> anim = animate_descent_2d(bowl, path, xlim=(-5, 5), ylim=(-5, 5))
    >>> html = to_offline_html(anim)
    >>> "<img" in html
    True
    """
    f = check_callable(f)
    p = _path(path, 2)
    idx = frame_indices(p.shape[0], max_frames)
    fig, ax = _figure(ax, (4.2, 4.0))
    X, Y = np.meshgrid(np.linspace(*xlim, 150), np.linspace(*ylim, 150))
    ax.contour(X, Y, f(np.array([X, Y])), levels=levels, cmap="viridis", linewidths=1.0)
    (trail,) = ax.plot([], [], "o-", color=PALETTE["orange"], ms=3, lw=1.2)
    (ball,) = ax.plot([], [], "o", color=PALETTE["vermillion"], ms=8)
    label = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top")
    finish(ax, "x", "y", title, plane=(xlim, ylim))

    def draw(frame: int) -> tuple[Any, ...]:
        k = int(idx[frame])
        trail.set_data(p[: k + 1, 0], p[: k + 1, 1])
        ball.set_data([p[k, 0]], [p[k, 1]])
        label.set_text(f"step {k}")
        return trail, ball, label

    return FuncAnimation(fig, draw, frames=len(idx), interval=interval, blit=False)


_EXTERNAL = re.compile(
    r"""<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE
)
_CDN_LINK = re.compile(r"<link\b[^>]*font-awesome[^>]*>\s*", re.IGNORECASE)
_ICON = re.compile(r'<i class="fa fa-([a-z-]+)(?: fa-flip-horizontal)?"></i>')
# Plain-text glyphs for matplotlib's player buttons, which otherwise take their icons
# from a Font Awesome stylesheet on a CDN (blank buttons offline). Each button keeps its
# aria-label and title.
_GLYPHS = {
    "minus": "\u2212",
    "fast-backward": "\u21e4",
    "step-backward": "\u25c2",
    "play": "\u25b6",
    "pause": "\u275a\u275a",
    "step-forward": "\u25b8",
    "fast-forward": "\u21e5",
    "plus": "+",
}


def offline_player(html: str, *, alt: str | None = None) -> str:
    """Make matplotlib's jshtml animation player work offline, and name its image.

    The link to Font Awesome on a CDN is removed and the player's button icons become
    plain-text glyphs (each button keeps its aria-label and title); ``alt`` becomes the
    alternative text of the frame image. :func:`to_offline_html` applies this to every
    animation it renders; it works on any HTML that holds such players.

    Examples
    --------
    >>> player = (
    ...     '<link rel="stylesheet" href="https://cdn.example/font-awesome.min.css">'
    ...     '<img id="_anim_img0"><button><i class="fa fa-play"></i></button>'
    ... )
    >>> offline_player(player, alt="a ball rolls downhill")
    '<img alt="a ball rolls downhill" id="_anim_img0"><button>▶</button>'
    """
    html = _CDN_LINK.sub("", html)
    # "Play backwards" is the only flipped icon: give it a left-pointing triangle.
    html = html.replace('<i class="fa fa-play fa-flip-horizontal"></i>', "\u25c0")
    html = _ICON.sub(lambda m: _GLYPHS.get(m.group(1), m.group(1)), html)
    if alt is not None:
        html = html.replace("<img id=", f'<img alt="{escape(alt, quote=True)}" id=', 1)
    return html


def to_offline_html(
    anim: FuncAnimation, *, alt: str | None = None, default_mode: str = "once"
) -> str:
    """Render ``anim`` as self-contained HTML that plays without a network connection.

    The frames and the player are inlined, and the player's buttons are drawn with
    plain-text glyphs (through :func:`offline_player`), so it looks the same with or
    without a network. The figure is then closed, which stops a notebook from also
    showing its last frame as a still image. The result is checked: it must not load any
    script, style or image from the network.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
    alt : str, optional
        Alternative text for the animation's image, for readers who cannot see it.
    default_mode : {"once", "loop", "reflect"}, default "once"
        What the player does at the last frame.

    Returns
    -------
    str
        HTML to display with ``IPython.display.HTML``.

    Raises
    ------
    RuntimeError
        If the HTML still references an external resource.

    Examples
    --------
    >>> from slopebook.landscapes import toy_loss
    >>> html = to_offline_html(animate_descent_1d(toy_loss, [1.0, 0.5, 0.0]), alt="a ball")
    >>> "font-awesome" in html, 'alt="a ball"' in html, html.count("frames[") >= 3
    (False, True, True)
    """
    if not isinstance(anim, FuncAnimation):
        msg = f"anim must be a matplotlib FuncAnimation, got {type(anim).__name__}"
        raise TypeError(msg)
    if default_mode not in ("once", "loop", "reflect"):
        msg = f"default_mode must be 'once', 'loop' or 'reflect', got {default_mode!r}"
        raise ValueError(msg)
    fig = anim._fig  # type: ignore[attr-defined]  # matplotlib keeps no public handle
    try:
        html = offline_player(anim.to_jshtml(default_mode=default_mode), alt=alt)
    finally:
        plt.close(fig)
    if _EXTERNAL.search(html):
        msg = "the animation HTML references an external resource; it would not play offline"
        raise RuntimeError(msg)
    return html
