"""
Where tanh and sigmoid saturate
===============================

The slope of an activation decides how much gradient flows back through a neuron. For
:math:`\\tanh` and the sigmoid :math:`\\sigma` that slope is large near zero and almost
nothing once the input is large: the neuron *saturates*, and learning through it slows
down (unless the loss cancels that slope, as the cross-entropy loss does for a sigmoid
output).
"""

# %%
# The functions and their slopes
# ------------------------------
# :mod:`slopebook.activations` gives each activation with its derivative in closed form:
# :math:`\tanh' = 1 - \tanh^2` and :math:`\sigma' = \sigma(1 - \sigma)`. We check both
# against torch autograd first.
import matplotlib.pyplot as plt
import numpy as np
import torch

import slopebook as sb
from slopebook.activations import sigmoid, sigmoid_derivative, tanh, tanh_derivative
from slopebook.plotting import PALETTE, use_style

use_style()

x = np.linspace(-8, 8, 801)
gap_tanh = np.abs(tanh_derivative(x) - sb.autodiff.derivative(torch.tanh, x)).max()
gap_sigmoid = np.abs(sigmoid_derivative(x) - sb.autodiff.derivative(torch.sigmoid, x)).max()
print(f"largest gap to autograd: tanh' {gap_tanh:.1e}, sigmoid' {gap_sigmoid:.1e}")
print(
    f"steepest slopes, at x = 0: tanh'(0) = {tanh_derivative(0.0):.2f}, "
    f"sigmoid'(0) = {sigmoid_derivative(0.0):.2f}"
)

# %%
# Where the slope drops below 1 %
# -------------------------------
# We call a neuron saturated where its slope is below 0.01. Solving
# :math:`1 - \tanh^2 x = 0.01` and :math:`\sigma(x)(1 - \sigma(x)) = 0.01` gives the
# thresholds below; we also read them off the sampled curves as a check.
threshold = 0.01
x_tanh = np.arctanh(np.sqrt(1 - threshold))
s = (1 + np.sqrt(1 - 4 * threshold)) / 2
x_sigmoid = np.log(s / (1 - s))
sampled_tanh = x[(x > 0) & (tanh_derivative(x) < threshold)].min()
sampled_sigmoid = x[(x > 0) & (sigmoid_derivative(x) < threshold)].min()
print(f"tanh    saturates for |x| > {x_tanh:.3f} (sampled: {sampled_tanh:.2f})")
print(f"sigmoid saturates for |x| > {x_sigmoid:.3f} (sampled: {sampled_sigmoid:.2f})")

fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.4, 6.0), sharex=True)
top.plot(x, tanh(x), label="tanh x")
top.plot(x, sigmoid(x), label="σ(x)")
top.set_ylabel("activation")
top.set_title("Activations and their slopes")
top.legend()
bottom.plot(x, tanh_derivative(x), label="tanh′ x")
bottom.plot(x, sigmoid_derivative(x), label="σ′(x)")
for edge, color in ((x_tanh, PALETTE["blue"]), (x_sigmoid, PALETTE["orange"])):
    for side in (-1, 1):
        bottom.axvspan(side * edge, side * 8, color=color, alpha=0.08)
        bottom.axvline(side * edge, color=color, ls=":", lw=1.2)
bottom.axhline(threshold, color="gray", lw=1, ls="--", label="slope 0.01")
bottom.set_xlabel("x")
bottom.set_ylabel("slope")
bottom.legend()
plt.show()

# %%
# Why it matters: slopes multiply
# -------------------------------
# Backpropagation through a chain of one-neuron layers :math:`h_k = \phi(w h_{k-1})`
# multiplies one factor :math:`w\,\phi'(w h_{k-1})` per layer (the chain rule). With
# weight :math:`w = 1` a sigmoid factor is at most :math:`\sigma'(0) = 1/4`, so ten such
# layers shrink the gradient by at least :math:`4^{10}`, and saturated layers shrink it far
# more. The bound is :math:`|w|/4` for other weights, and :math:`\tfrac14\lVert W\rVert_2`
# for a layer with a weight matrix :math:`W`; at the common initialisation with entries of
# standard deviation :math:`1/\sqrt{n}`, :math:`\lVert W\rVert_2 \approx 2` (computed
# below), so the bound per sigmoid layer is about :math:`\tfrac12`. :math:`\tanh` has
# slope 1 at zero, four times the sigmoid's (:math:`\tanh x = 2\sigma(2x) - 1`), but at
# the same large input both saturate: at :math:`x = 2`, :math:`\tanh'` is below
# :math:`\sigma'`. The curves below are the products of ten equal slopes, for inputs held
# at 0 or at 2 (weight 1).
depth = np.arange(1, 11)
fig, ax = plt.subplots()
ax.semilogy(depth, sigmoid_derivative(0.0) ** depth, "o-", label="sigmoid at x = 0, w = 1")
ax.semilogy(depth, sigmoid_derivative(2.0) ** depth, "s-", label="sigmoid at x = 2")
ax.semilogy(depth, tanh_derivative(2.0) ** depth, "^-", label="tanh at x = 2")
ax.set_xlabel("number of layers")
ax.set_ylabel("product of slopes")
ax.set_title("Gradient left after a stack of layers")
ax.legend()
print(f"after 10 sigmoid layers at x = 0: {sigmoid_derivative(0.0) ** 10:.1e}")
plt.show()

W = torch.randn(64, 64, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) / 8
print(
    f"‖W‖₂ of a 64 × 64 matrix with entries of standard deviation 1/8: "
    f"{torch.linalg.matrix_norm(W, ord=2).item():.2f}"
)
