"""
Tangent arrows of a toy loss: uphill arrows and descent steps
==============================================================

The toy loss :math:`L(x) = 0.3\\sin 3x + 0.5x^2` is a bowl with a ripple. At each sample
point we draw an arrow along the tangent, oriented *uphill*: its horizontal part then
points where the derivative :math:`L'(x)` points. Flipped, the arrows point downhill, the
way gradient descent moves; the last plot draws the real descent steps, which are
horizontal.
"""

# %%
# The loss and its slope
# ----------------------
# :func:`slopebook.landscapes.toy_loss` comes with its derivative in closed form,
# :math:`L'(x) = 0.9\cos 3x + x`. Before drawing anything we check that closed form
# against a central finite difference from :func:`slopebook.derivative`.
import matplotlib.pyplot as plt
import numpy as np

import slopebook as sb
from slopebook.landscapes import critical_points_1d, toy_loss, toy_loss_derivative
from slopebook.plotting import plot_descent_steps_1d, plot_slope_field, use_style

use_style()

xs = np.linspace(-2.5, 2.5, 15)
by_rule = toy_loss_derivative(xs)
by_difference = sb.derivative(toy_loss, xs)
print(f"largest gap, rule vs central difference: {np.abs(by_rule - by_difference).max():.1e}")

# %%
# Arrows that point uphill
# ------------------------
# Where :math:`L'(x) > 0` the arrow points right and up, where :math:`L'(x) < 0` it
# points left and up: either way it climbs, because we chose the uphill orientation. The
# tangent vector :math:`(1, L'(x))`, which always points right, would go *downhill*
# wherever :math:`L'(x) < 0`. All arrows have the same length, so the picture shows
# direction only.
fig, ax = plot_slope_field(toy_loss, toy_loss_derivative, xs, title="Uphill: +L'(x)")
plt.show()

# %%
# Flip them: downhill along the curve
# -----------------------------------
# Turned around, each arrow points downhill along the curve. Its horizontal part,
# :math:`-L'(x)` in direction, is the way gradient descent moves :math:`x`; the step itself
# is horizontal (last section). The flipped arrows all lead towards the one valley floor,
# the point where :math:`L'(x) = 0`, and descent gets there from any start if its learning
# rate is small enough that every step lowers the loss: below
# :math:`2/\max L''`, with :math:`\max L'' = 1 + 2.7 = 3.7` since
# :math:`L''(x) = 1 - 2.7\sin 3x` (the limit is printed below). Such a step can still
# overshoot the floor and come back: near the floor a step multiplies the distance to it
# by about :math:`1 - \eta L''(x^*)`, negative once :math:`\eta > 1/L''(x^*)`.
# :func:`slopebook.landscapes.critical_points_1d` looks for sign changes of :math:`L'`
# between fine samples of the interval and refines each by bisection: it finds one. There
# is no other zero. For :math:`|x| > 0.9`, :math:`|L'(x)| \ge |x| - 0.9 > 0`. On
# :math:`[-0.9, 0]`, :math:`L'' \ge 1` (there :math:`\sin 3x \le 0`), so :math:`L'` is
# increasing and has at most one zero there, the one found. On :math:`[0, 0.9]`, :math:`L''` changes sign only
# once, from positive to negative, so :math:`L'` rises and then falls, and its smallest
# value there is the smaller of :math:`L'(0)` and :math:`L'(0.9)`, both positive (printed
# below).
fig, ax = plot_slope_field(
    toy_loss, toy_loss_derivative, xs, descent=True, title="Downhill: −L'(x)"
)
critical = critical_points_1d(toy_loss_derivative, -2.5, 2.5)
print(f"critical points of L on [-2.5, 2.5]: {critical}")
floor = critical[0]
ax.plot(floor, toy_loss(floor), "o", color="black", ms=7, label="minimum")
ax.legend(loc="upper center")
print(f"the valley floor is at x = {floor:.6f}, where L'(x) = {toy_loss_derivative(floor):+.1e}")
curvature_floor = 1 - 2.7 * np.sin(3 * floor)  # L''(x*)
print(f"2 / max L'' = 2 / 3.7 = {2 / 3.7:.2f};  1 / L''(x*) = {1 / curvature_floor:.2f}")
print(
    f"on [0, 0.9]: L'' = 0 only at x = {np.arcsin(1 / 2.7) / 3:.3f};  "
    f"L'(0) = {toy_loss_derivative(0.0):.3f}, L'(0.9) = {toy_loss_derivative(0.9):.3f}"
)
plt.show()

# %%
# The real step has a length
# --------------------------
# The arrows above all have the same length; a descent step does not. It moves :math:`x`
# by :math:`-\eta L'(x)`, along the :math:`x` axis, so steps are long where the curve is
# steep and shrink to nothing at the floor. With :math:`\eta = 0.3`,
# :func:`slopebook.plotting.plot_descent_steps_1d` draws each step where it really goes.
fig, ax = plot_descent_steps_1d(
    toy_loss, toy_loss_derivative, xs, lr=0.3, title="One descent step from each point, η = 0.3"
)
steps = -0.3 * toy_loss_derivative(xs)
print(
    f"longest step {np.abs(steps).max():.3f} (at x = {xs[np.argmax(np.abs(steps))]:+.2f}), "
    f"shortest {np.abs(steps).min():.3f} (at x = {xs[np.argmin(np.abs(steps))]:+.2f})"
)
plt.show()
