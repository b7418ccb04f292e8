"""Descent animations: bounded frame counts and HTML that plays without a network."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.animation import FuncAnimation

import slopebook as sb
from slopebook.animation import (
    animate_descent_1d,
    animate_descent_2d,
    frame_indices,
    to_offline_html,
)
from slopebook.landscapes import bowl, toy_loss, toy_loss_derivative


def _frames(html: str) -> int:
    return 1 + max(int(k) for k in re.findall(r"frames\[(\d+)\]", html))


@pytest.mark.parametrize(("n", "cap"), [(1, 40), (40, 40), (41, 40), (1000, 40), (7, 3)])
def test_frame_indices_are_bounded_sorted_and_keep_the_ends(n, cap):
    idx = frame_indices(n, cap)
    assert 1 <= idx.size <= min(n, cap)
    assert idx[0] == 0
    assert idx[-1] == n - 1
    assert np.all(np.diff(idx) > 0)


@pytest.mark.parametrize(("n", "cap"), [(0, 40), (5, 1), (5.0, 40), (True, 40)])
def test_frame_indices_refuse_bad_sizes(n, cap):
    with pytest.raises(ValueError, match="integer"):
        frame_indices(n, cap)


def test_1d_animation_is_small_self_contained_and_ends_at_the_last_point():
    path = sb.gradient_descent(toy_loss_derivative, 2.5, lr=0.3, steps=100)
    anim = animate_descent_1d(toy_loss, path, xlim=(-2, 3))
    assert isinstance(anim, FuncAnimation)
    fig = anim._fig
    ball = fig.axes[0].lines[2]
    html = to_offline_html(anim, alt='descent "demo" <1-D>')
    assert _frames(html) == 40
    assert not plt.fignum_exists(fig.number), "the figure must be closed after rendering"
    # The last frame drawn shows the ball at the end of the path.
    assert ball.get_xdata()[0] == pytest.approx(path[-1])
    assert "font-awesome" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert 'alt="descent &quot;demo&quot; &lt;1-D&gt;"' in html
    assert 'aria-label="Play"' in html
    assert "\u25b6" in html  # the play glyph replaces the CDN icon


def test_2d_animation_and_a_diverging_1d_path():
    path = sb.gradient_descent(lambda p: 2 * p, [3.0, 4.0], lr=0.1, steps=10)
    html = to_offline_html(animate_descent_2d(bowl, path, xlim=(-5, 5), ylim=(-5, 5)))
    assert _frames(html) == 11
    with np.errstate(over="ignore", invalid="ignore"):
        diverging = sb.gradient_descent(toy_loss_derivative, 2.5, lr=2.2, steps=5000)
    assert np.isnan(diverging).any()
    html = to_offline_html(animate_descent_1d(toy_loss, diverging, xlim=(-3, 3), max_frames=12))
    assert _frames(html) == 12


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        animate_descent_2d(bowl, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"shape \(k,\)"):
        animate_descent_1d(toy_loss, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="empty"):
        animate_descent_1d(toy_loss, [])
    with pytest.raises(ValueError, match="finite point"):
        animate_descent_1d(toy_loss, [np.nan, 1.0])
    with pytest.raises(TypeError, match="callable"):
        animate_descent_1d("toy", [1.0])
    with pytest.raises(TypeError, match="FuncAnimation"):
        to_offline_html("<html>")
    anim = animate_descent_1d(toy_loss, [1.0, 0.0])
    with pytest.raises(ValueError, match="default_mode"):
        to_offline_html(anim, default_mode="bounce")
    to_offline_html(anim)  # render it, so matplotlib does not warn about an unused animation
