"""
The Jacobian of a layer, and JVP against VJP
============================================

A dense layer :math:`f(x) = \\tanh(Wx + b)` maps 3 inputs to 2 outputs. Its Jacobian is a
:math:`2 \\times 3` matrix: **rows are outputs, columns are inputs**. Autograd never needs
the whole matrix: forward mode computes :math:`Jv` and reverse mode :math:`w^\\top J`.
"""

# %%
# A small layer
# -------------
# :func:`slopebook.layers.init_dense` draws the weights from a generator with a fixed
# seed (here 7);
# :func:`slopebook.layers.dense` evaluates the layer on numpy arrays or torch tensors.
import matplotlib.pyplot as plt
import numpy as np

import slopebook as sb
from slopebook.activations import tanh_derivative
from slopebook.layers import dense, init_dense
from slopebook.plotting import use_style

use_style()

W, b = init_dense(3, 2, seed=7)


def layer(x):
    return dense(x, W, b, activation="tanh")


x = np.array([0.5, -1.0, 2.0])
print("f(x) =", np.round(layer(x), 4))

# %%
# The Jacobian three ways
# -----------------------
# Entry :math:`J_{ij} = \partial f_i / \partial x_j`. By the chain rule the layer's
# Jacobian is :math:`\operatorname{diag}(\tanh'(z))\,W` with :math:`z = Wx + b`: each row
# of :math:`W` scaled by the slope of its output's activation. Autograd
# (:func:`slopebook.autodiff.jacobian`) and finite differences (:func:`slopebook.jacobian`)
# agree with it.
J = sb.autodiff.jacobian(layer, x)
J_rule = np.diag(tanh_derivative(W @ x + b)) @ W
J_fd = sb.jacobian(layer, x)
print(f"shape {J.shape} = (outputs, inputs)")
print(
    f"gap to the chain rule: autograd {np.abs(J - J_rule).max():.1e}, "
    f"finite differences {np.abs(J_fd - J_rule).max():.1e}"
)

fig, ax = plt.subplots(figsize=(5.2, 3.4))
image = ax.imshow(J, cmap="RdBu_r", vmin=-np.abs(J).max(), vmax=np.abs(J).max())
for (i, j), value in np.ndenumerate(J):
    ink = "white" if abs(value) > 0.6 * np.abs(J).max() else "black"
    ax.text(j, i, f"{value:+.3f}", ha="center", va="center", fontsize=11, color=ink)
ax.set_xticks(range(3), [f"input x{j + 1}" for j in range(3)])
ax.set_yticks(range(2), [f"output f{i + 1}" for i in range(2)])
ax.grid(False)
ax.set_title("J = ∂f_i/∂x_j, shape 2 × 3")
fig.colorbar(image, ax=ax, shrink=0.8)
plt.show()

# %%
# JVP: a combination of columns
# -----------------------------
# Forward mode pushes an input direction :math:`v` through the layer and returns
# :math:`Jv`, a vector in the **output** space. It equals
# :math:`v_1 J_{:,1} + v_2 J_{:,2} + v_3 J_{:,3}`: the columns weighted by :math:`v`.
v = np.array([1.0, -2.0, 0.5])
jv = sb.autodiff.jvp(layer, x, v)
columns = sum(v[j] * J[:, j] for j in range(3))
print(f"J v              = {np.round(jv, 6)}   (shape {jv.shape})")
print(f"Σ_j v_j J[:, j]  = {np.round(columns, 6)}")
print(f"gap {np.abs(jv - columns).max():.1e}")

# %%
# VJP: a combination of rows
# --------------------------
# Reverse mode pulls an output weighting :math:`w` back through the layer and returns
# :math:`w^\top J`, a vector in the **input** space: the rows weighted by :math:`w`.
# With one output and :math:`w = 1` it is the whole gradient, laid out as a row
# (:math:`J = \nabla f^\top`) in a single pass: that is why ``backward()`` uses reverse mode.
w = np.array([1.0, 3.0])
wj = sb.autodiff.vjp(layer, x, w)
rows = w[0] * J[0] + w[1] * J[1]
print(f"wᵀ J             = {np.round(wj, 6)}   (shape {wj.shape})")
print(f"Σ_i w_i J[i, :]  = {np.round(rows, 6)}")
print(f"gap {np.abs(wj - rows).max():.1e}")

# %%
# One pass per column, or one pass per row
# ----------------------------------------
# The whole Jacobian takes :math:`n = 3` forward passes (one per input direction) or
# :math:`m = 2` reverse passes (one per output). For a loss, :math:`m = 1` and
# :math:`n` is the number of weights, so reverse mode needs one pass where forward mode
# needs :math:`n` (in time the gain is somewhat less, as a reverse pass costs a few forward
# ones, and reverse mode also stores the intermediate values).
by_columns = np.column_stack([sb.autodiff.jvp(layer, x, e) for e in np.eye(3)])
by_rows = np.vstack([sb.autodiff.vjp(layer, x, e) for e in np.eye(2)])
print(
    f"3 JVPs rebuild J: {np.allclose(by_columns, J, rtol=1e-14, atol=0)}; "
    f"2 VJPs rebuild J: {np.allclose(by_rows, J, rtol=1e-14, atol=0)}"
)
