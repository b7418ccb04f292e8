"""
The gradient of a stretched bowl as a field of arrows
=====================================================

For :math:`f(x, y) = x^2 + 0.5y^2` the gradient :math:`\\nabla f = (2x, y)` is a vector
at every point of the plane. Drawn on a grid over the contour lines, the arrows point
uphill (the steepest way up, since :math:`f` is differentiable) and cross every contour
at a right angle.
"""

# %%
# Three ways to the same gradient
# -------------------------------
# :func:`slopebook.landscapes.elliptic_bowl` has its gradient in closed form. We compare it
# with a central finite difference (:func:`slopebook.gradient`) and with one backward
# pass of torch autograd (:func:`slopebook.autodiff.grad`) at four random points.
import matplotlib.pyplot as plt
import numpy as np

import slopebook as sb
from slopebook.landscapes import elliptic_bowl, elliptic_bowl_gradient
from slopebook.plotting import PALETTE, plot_gradient_field, use_style

use_style()
rng = np.random.default_rng(3)

for p in rng.uniform(-3, 3, size=(4, 2)):
    exact = elliptic_bowl_gradient(p)
    fd_gap = np.abs(sb.gradient(elliptic_bowl, p) - exact).max()
    ad_gap = np.abs(sb.autodiff.grad(elliptic_bowl, p) - exact).max()
    print(
        f"at ({p[0]:+.2f}, {p[1]:+.2f}): ∇f = ({exact[0]:+.3f}, {exact[1]:+.3f}); "
        f"gap finite difference {fd_gap:.0e}, autograd {ad_gap:.0e}"
    )

# %%
# The field
# ---------
# :func:`slopebook.plotting.plot_gradient_field` draws the contours and a 15 × 15 grid of
# gradient arrows. The arrows are longer along :math:`x` than along :math:`y` at the same
# distance from the centre, because the bowl is twice as steep in :math:`x`
# (:math:`\partial f / \partial x = 2x` against :math:`\partial f / \partial y = y`).
fig, ax = plot_gradient_field(
    elliptic_bowl, elliptic_bowl_gradient, title="∇f for f(x, y) = x² + 0.5y²"
)
plt.show()

# %%
# Perpendicular to the contours
# -----------------------------
# Along a contour the height does not change, so the slope along the contour's tangent is
# zero: :math:`\nabla f \cdot \tau = 0`. The contour :math:`x^2 + 0.5y^2 = c` is the ellipse
# :math:`(\sqrt{c}\cos s, \sqrt{2c}\sin s)`, with tangent
# :math:`\tau = (-\sqrt{c}\sin s, \sqrt{2c}\cos s)`. We check the right angle at 12 points.
c = 2.0
s = np.linspace(0, 2 * np.pi, 12, endpoint=False)
on_contour = np.array([np.sqrt(c) * np.cos(s), np.sqrt(2 * c) * np.sin(s)])
tangent = np.array([-np.sqrt(c) * np.sin(s), np.sqrt(2 * c) * np.cos(s)])
g = elliptic_bowl_gradient(on_contour)
print(f"largest |∇f · τ| on the contour f = {c}: {np.abs((g * tangent).sum(axis=0)).max():.1e}")

fig, ax = plot_gradient_field(
    elliptic_bowl,
    elliptic_bowl_gradient,
    n=9,
    levels=[0.5, 2.0, 4.5],
    title="Uphill, at right angles",
)
ax.quiver(*on_contour, *g, color=PALETTE["blue"], angles="xy", width=0.006, label="∇f on f = 2")
ax.plot(*on_contour, "o", color=PALETTE["blue"], ms=4)
ax.legend(loc="upper right")
plt.show()
