"""
Directional derivatives all around a point
==========================================

Standing at a point on a surface, every compass direction :math:`u` has its own slope,
the directional derivative :math:`D_u f`; for a differentiable :math:`f` and a unit vector
:math:`u` it is :math:`\\nabla f \\cdot u`. We walk around a full circle of unit
directions, measure each slope by a finite difference, and find that the steepest sampled
direction is the one nearest the gradient's, and that exactly along the gradient the slope
is :math:`|\\nabla f|`.
"""

# %%
# One slope per direction
# -----------------------
# On the stretched bowl :math:`f(x, y) = x^2 + 0.5y^2` at :math:`p = (1, 1.5)`, we
# measure the slope along 72 unit vectors :math:`u = (\cos\theta, \sin\theta)` with
# :func:`slopebook.directional_derivative` (a central difference of
# :math:`t \mapsto f(p + tu)`), and compare each with :math:`\nabla f \cdot u`.
import matplotlib.pyplot as plt
import numpy as np

import slopebook as sb
from slopebook.landscapes import elliptic_bowl
from slopebook.plotting import PALETTE, use_style

use_style()

p = np.array([1.0, 1.5])
grad = sb.gradient(elliptic_bowl, p)
theta = np.linspace(0, 2 * np.pi, 72, endpoint=False)
directions = np.stack([np.cos(theta), np.sin(theta)], axis=1)
slopes = np.array([sb.directional_derivative(elliptic_bowl, p, u) for u in directions])
dot = directions @ grad
print(f"∇f(p) = ({grad[0]:.4f}, {grad[1]:.4f}), |∇f(p)| = {np.linalg.norm(grad):.4f}")
print(f"largest gap between D_u f and ∇f·u over 72 directions: {np.abs(slopes - dot).max():.1e}")

# %%
# The slope is a cosine of the angle
# ----------------------------------
# Since :math:`D_u f = |\nabla f|\cos\varphi`, with :math:`\varphi` the angle between
# :math:`u` and the gradient, the slopes trace one period of a cosine: the largest is
# :math:`|\nabla f|` in the gradient's direction, the smallest is :math:`-|\nabla f|` in the
# opposite one, and the slope is zero at right angles, tangent to the contour.
k = int(np.argmax(slopes))
theta_grad = np.arctan2(grad[1], grad[0]) % (2 * np.pi)
print(f"steepest sampled direction: θ = {np.degrees(theta[k]):.0f}°, slope {slopes[k]:.4f}")
print(
    f"gradient direction:         θ = {np.degrees(theta_grad):.1f}°, |∇f| = "
    f"{np.linalg.norm(grad):.4f}"
)
along_gradient = sb.directional_derivative(elliptic_bowl, p, grad, normalize=True)
print(f"D_u f with u = ∇f/|∇f|:     {along_gradient:.10f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
X, Y = np.meshgrid(np.linspace(-0.5, 2.5, 200), np.linspace(-0.2, 3.2, 200))
left.contour(X, Y, elliptic_bowl(np.array([X, Y])), levels=12, cmap="viridis", linewidths=1)
colors = plt.cm.coolwarm((slopes - slopes.min()) / np.ptp(slopes))
left.quiver(
    np.full(72, p[0]),
    np.full(72, p[1]),
    directions[:, 0],
    directions[:, 1],
    color=colors,
    angles="xy",
    scale_units="xy",
    scale=1.4,
    width=0.006,
)
left.quiver(
    *p,
    *(grad / np.linalg.norm(grad)),
    color="black",
    angles="xy",
    scale_units="xy",
    scale=0.9,
    width=0.01,
    label="∇f direction",
)
left.set_aspect("equal")
left.set_title("Unit directions, red = uphill, blue = downhill")
left.legend(loc="lower right")

right.plot(np.degrees(theta), slopes, "o", ms=4, label="D_u f (finite difference)")
right.plot(np.degrees(theta), dot, "-", lw=1.5, label="∇f · u")
right.axvline(
    np.degrees(theta_grad), color=PALETTE["vermillion"], ls=":", label="gradient direction"
)
right.axhline(np.linalg.norm(grad), color="gray", ls="--", lw=1, label="±|∇f|")
right.axhline(-np.linalg.norm(grad), color="gray", ls="--", lw=1)
right.set_xlabel("direction θ (degrees)")
right.set_ylabel("slope")
right.set_title("Slope against direction")
right.legend(fontsize=8, loc="lower left")
plt.show()
