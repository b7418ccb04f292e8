"""
Slope field of a toy loss: uphill arrows and descent steps
===========================================================

The toy loss :math:`L(x) = 0.3\\sin 3x + 0.5x^2` is a bowl with a ripple. At each sample
point we draw an arrow along the tangent. Pointing *uphill*, the arrows show what the
derivative says; flipped, they show the step gradient descent takes.
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
from slopebook.landscapes import toy_loss, toy_loss_derivative
from slopebook.plotting import plot_slope_field, use_style

use_style()

xs = np.linspace(-2.5, 2.5, 15)
by_rule = toy_loss_derivative(xs)
by_difference = sb.derivative(toy_loss, xs)
print(f"largest gap, rule vs central difference: {np.abs(by_rule - by_difference).max():.1e}")

# %%
# Arrows that point uphill
# ------------------------
# Where :math:`L'(x) > 0` the arrow points right and up, where :math:`L'(x) < 0` it
# points left and up: either way it climbs. All arrows have the same length, so the
# picture shows direction only.
fig, ax = plot_slope_field(toy_loss, toy_loss_derivative, xs, title="Uphill: +L'(x)")
plt.show()

# %%
# Flip them: the descent step
# ---------------------------
# Gradient descent moves by :math:`-\eta L'(x)`, so each arrow turns around and points
# downhill. Wherever you start on this curve, the flipped arrows lead towards the one
# valley floor, the point where :math:`L'(x) = 0`.
fig, ax = plot_slope_field(
    toy_loss, toy_loss_derivative, xs, descent=True, title="Downhill: −L'(x)"
)
dense = np.linspace(-2.5, 2.5, 20001)
floor = dense[np.argmin(toy_loss(dense))]
ax.plot(floor, toy_loss(floor), "o", color="black", ms=7, label="minimum")
ax.legend(loc="upper center")
print(f"the valley floor is near x = {floor:.4f}, where L'(x) = {toy_loss_derivative(floor):+.1e}")
plt.show()
