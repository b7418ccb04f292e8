"""
Gradient descent with four learning rates
=========================================

The same loss, the same start, four learning rates :math:`\\eta`. Too small crawls, a good
one settles, a large one overshoots and bounces, and one that is too large flies off. The
animation shows every third of the first 30 steps side by side.
"""

# %%
# The runs
# --------
# :func:`slopebook.gradient_descent` repeats :math:`x_{k+1} = x_k - \eta L'(x_k)` on the
# toy loss :math:`L(x) = 0.3\sin 3x + 0.5x^2` (:func:`slopebook.landscapes.toy_loss`),
# starting from :math:`x_0 = 2.5`, and returns the whole path.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

import slopebook as sb
from slopebook.landscapes import critical_points_1d, toy_loss, toy_loss_derivative
from slopebook.plotting import use_style

use_style()

x0, steps = 2.5, 29
rates = (0.05, 0.3, 0.62, 2.15)
paths = {lr: sb.gradient_descent(toy_loss_derivative, x0, lr=lr, steps=steps) for lr in rates}
for lr, path in paths.items():
    print(f"η = {lr:<4}: x after {steps} steps = {path[-1]:+.4g}, L = {toy_loss(path[-1]):.4g}")

# %%
# Why 0.62 bounces: the curvature at the minimum
# ----------------------------------------------
# Near the minimum :math:`x^*`, a step multiplies the distance to it by
# :math:`1 - \eta L''(x^*)`. That factor lies in :math:`(-1, 1)`, so the steps close in,
# only when :math:`\eta < 2 / L''(x^*)`. We find :math:`x^*` as the zero of :math:`L'`
# (:func:`slopebook.landscapes.critical_points_1d`) and the curvature there with a second
# finite difference (:func:`slopebook.hessian`).
(x_star,) = critical_points_1d(toy_loss_derivative, -3.0, 3.0)
curvature = sb.hessian(lambda p: toy_loss(p[0]), [x_star])[0, 0]
print(f"x* = {x_star:.5f}, L''(x*) = {curvature:.4f}, limit 2 / L''(x*) = {2 / curvature:.4f}")
for lr in rates:
    print(f"η = {lr:<4}: factor 1 - η L''(x*) = {1 - lr * curvature:+.3f}")

# %%
# The animation
# -------------
# Each panel shows the loss curve, the path so far and the current point, every third step
# (each frame is a picture inlined in this page, so fewer frames keep it light). The 2.15 run
# soon leaves the picture: far from the minimum :math:`L'(x) \approx x`, so each step
# multiplies :math:`x` by roughly :math:`1 - \eta = -1.15`, flipping sides and growing.
# (Run the script yourself and ``plt.show()`` plays the animation in a window.)
fig, axes = plt.subplots(2, 2, figsize=(5.2, 3.6), dpi=80, sharex=True, sharey=True)
fig.subplots_adjust(hspace=0.35)
grid = np.linspace(-6, 6, 400)
markers, trails = [], []
for ax, lr in zip(axes.flat, rates, strict=True):
    ax.plot(grid, toy_loss(grid), color="black", lw=1.5)
    (trail,) = ax.plot([], [], "o-", ms=3, lw=1, alpha=0.6)
    (marker,) = ax.plot([], [], "o", ms=9, color="C3")
    ax.set_title(f"η = {lr}")
    ax.set_xlim(-6, 6)
    ax.set_ylim(-0.5, 12)
    trails.append(trail)
    markers.append(marker)
for ax in axes[1]:
    ax.set_xlabel("x")
for ax in axes[:, 0]:
    ax.set_ylabel("L(x)")
step_label = fig.suptitle("step 0")


def draw(k):
    for lr, trail, marker in zip(rates, trails, markers, strict=True):
        xs = paths[lr][: k + 1]
        trail.set_data(xs, toy_loss(xs))
        marker.set_data(xs[-1:], toy_loss(xs[-1:]))
    step_label.set_text(f"step {k}")
    return [*trails, *markers, step_label]


animation = FuncAnimation(fig, draw, frames=range(0, steps + 1, 3), interval=400, blit=False)
plt.show()

# %%
# Loss against step
# -----------------
# The same runs as curves of :math:`L(x_k) - L(x^*)`. The small rate is still descending
# after 29 steps. The 0.3 run first creeps across the flat shoulder near :math:`x = 0.8`,
# where :math:`L'` is small, and then, once near :math:`x^*`, gains digits at every step
# (its factor :math:`1 - \eta L''` is tiny). 0.62 never settles, and 2.15 grows without
# bound. (Differences below :math:`10^{-16}` are rounding noise and are drawn at that
# floor.)
for lr, path in paths.items():
    close = np.flatnonzero(np.abs(path - x_star) < 1e-6)
    first_close = f"step {close[0]}" if close.size else "never"
    print(f"η = {lr:<4}: within 1e-6 of x* from {first_close}")
fig, ax = plt.subplots()
for lr, path in paths.items():
    ax.semilogy(
        np.arange(steps + 1),
        np.maximum(toy_loss(path) - toy_loss(x_star), 1e-16),
        "o-",
        ms=3,
        label=f"η = {lr}",
    )
ax.set_xlabel("step k")
ax.set_ylabel("L(x_k) − L(x*)")
ax.set_title("Distance to the lowest loss")
ax.legend()
plt.show()
