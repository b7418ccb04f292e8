"""
A slice through the loss landscape of a small network
=====================================================

A network with 49 parameters has a loss landscape in 49 dimensions, too many to see. A
*slice* picks one line through weight space and plots the loss along it. We cut two: along
a random direction through a trained solution, and along the straight line between two
solutions trained from different seeds.
"""

# %%
# Data and model
# --------------
# 64 noisy samples of :math:`\sin 2x`, and a 1-16-1 tanh network whose weights are one
# flat vector :math:`w` of weights and biases (:func:`slopebook.layers.flat_mlp`). The loss
# is the mean squared error, an ordinary function :math:`L(w)` of 49 numbers.
import matplotlib.pyplot as plt
import numpy as np
import torch

import slopebook as sb
from slopebook.activations import mse
from slopebook.layers import flat_mlp, flat_mlp_size, init_flat_mlp
from slopebook.plotting import use_style

use_style()
SEED = 0
rng = np.random.default_rng(SEED)
x_data = rng.uniform(-2, 2, size=(64, 1))
y_data = np.sin(2 * x_data) + 0.1 * rng.normal(size=x_data.shape)
X, Y = torch.tensor(x_data), torch.tensor(y_data)
sizes = (1, 16, 1)


def loss(w):
    return mse(Y, flat_mlp(w, X, sizes))


print(f"{flat_mlp_size(sizes)} parameters")

# %%
# Train twice
# -----------
# Plain gradient descent (:func:`slopebook.gradient_descent`) with the gradient from one
# backward pass (:func:`slopebook.autodiff.grad`), started from two random initialisations (fixed seeds 1 and 2).
solutions = {}
for seed in (1, 2):
    path = sb.gradient_descent(
        lambda w: sb.autodiff.grad(loss, w), init_flat_mlp(sizes, seed=seed), lr=0.2, steps=1500
    )
    solutions[seed] = path[-1]
    print(f"seed {seed}: loss {float(loss(path[0])):.4f} -> {float(loss(path[-1])):.4f}")
w_a, w_b = solutions[1], solutions[2]
print(f"distance between the two solutions: {np.linalg.norm(w_a - w_b):.2f}")

# %%
# Slice 1: a random direction through a solution
# ----------------------------------------------
# Draw a random direction :math:`d`, scale it to the length of :math:`w_A` so that
# :math:`t = 1` is a step as large as the weights themselves (a raw direction, not the
# filter-normalised one the landscape chapter uses to compare networks: this picture is of
# one line through one network, not a measure of sharpness), and evaluate
# :math:`L(w_A + t d)`. Along this line the trained weights sit near the bottom of a
# valley: the slope along :math:`d` at :math:`t = 0` (:func:`slopebook.directional_derivative`)
# is small, and the loss climbs by orders of magnitude on either side. That is a statement
# about one line, not a proof of a minimum: training stopped after 1500 steps, so the full
# gradient is small but not zero, and a random direction in 49 dimensions is nearly
# perpendicular to it, so it would show a small slope even on a hillside.
d = rng.normal(size=w_a.shape)
d *= np.linalg.norm(w_a) / np.linalg.norm(d)
t = np.linspace(-1.0, 1.0, 81)
with torch.no_grad():
    random_slice = np.array([float(loss(w_a + tk * d)) for tk in t])
print(
    f"|∇L| at the start {np.linalg.norm(sb.autodiff.grad(loss, init_flat_mlp(sizes, seed=1))):.1e}, "
    f"at w_A {np.linalg.norm(sb.autodiff.grad(loss, w_a)):.1e}"
)
print(f"slope along d at t = 0: {sb.directional_derivative(loss, w_a, d, normalize=True):+.1e}")

fig, ax = plt.subplots()
ax.semilogy(t, random_slice)
ax.axvline(0, color="gray", ls=":", label="trained solution w_A")
ax.set_xlabel("t")
ax.set_ylabel("L(w_A + t d)")
ax.set_title("Loss along a random direction")
ax.legend()
plt.show()

# %%
# Slice 2: the line between two solutions
# ---------------------------------------
# :math:`L((1 - t)\,w_A + t\,w_B)` passes through both solutions at :math:`t = 0` and
# :math:`t = 1`. If the loss were convex along this segment it could nowhere exceed the
# larger of its two end values; a bump in the middle shows that the straight line between
# the solutions leaves the low-loss region. (It does not show that no curved low path joins
# them.) Swapping hidden units gives the same function with different weights, so every
# solution comes with many equivalent copies elsewhere in weight space.
s = np.linspace(-0.25, 1.25, 61)
with torch.no_grad():
    line_slice = np.array([float(loss((1 - sk) * w_a + sk * w_b)) for sk in s])
middle = line_slice[np.argmin(np.abs(s - 0.5))]
print(
    f"loss at w_A {line_slice[np.argmin(np.abs(s))]:.4f}, at w_B "
    f"{line_slice[np.argmin(np.abs(s - 1))]:.4f}, halfway {middle:.4f}, "
    f"highest on [0, 1] {line_slice[(s >= 0) & (s <= 1)].max():.4f}"
)

fig, ax = plt.subplots()
ax.semilogy(s, line_slice)
ax.plot([0, 1], [float(loss(w_a)), float(loss(w_b))], "o", color="C3", label="w_A, w_B")
ax.set_xlabel("t")
ax.set_ylabel("L((1 − t) w_A + t w_B)")
ax.set_title("Loss on the line between two solutions")
ax.legend()
plt.show()
