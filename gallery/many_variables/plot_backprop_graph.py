"""
Backpropagation on a computational graph
========================================

A tiny neuron, :math:`L = (\\sigma(w x + b) - t)^2`, computed with
:class:`slopebook.backprop.Var`. Every operation becomes a node of a graph; the forward
sweep fills in the values and one backward sweep fills in every **adjoint** (the
derivative of :math:`L` with respect to a node), among them the gradient with respect to
the weight and the bias.
"""

# %%
# The forward pass records the graph
# ----------------------------------
# Each ``Var`` remembers its inputs and the local partial derivative of the operation that
# made it. Names label the inputs in the drawing; unnamed nodes are numbered.
import matplotlib.pyplot as plt
import torch

from slopebook import backprop as bp
from slopebook.backprop import Var
from slopebook.plotting import use_style

use_style()

w, b = Var(0.8, name="w"), Var(-0.3, name="b")
x, t = 1.5, 1.0  # one input and its target: plain numbers, not differentiated
L = ((w * x + b).sigmoid() - t) ** 2
L.name = "L"
print(bp.forward_trace(L))

# %%
# One backward sweep gives every adjoint
# --------------------------------------
# The reverse sweep starts at :math:`\bar L = 1` and, node by node, passes
# "my adjoint times the local partial" to each input. The adjoints of ``w`` and ``b`` are
# the gradient of the loss.
print(bp.reverse_trace(L))
print(f"∂L/∂w = {w.grad:.6f}, ∂L/∂b = {b.grad:.6f}")

# %%
# The same gradient from PyTorch
# ------------------------------
# ``torch.autograd.grad`` runs the same reverse sweep on tensors.
wt = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
bt = torch.tensor(-0.3, dtype=torch.float64, requires_grad=True)
gw, gb = torch.autograd.grad((torch.sigmoid(wt * x + bt) - t) ** 2, (wt, bt))
print(f"torch:  ∂L/∂w = {float(gw):.6f}, ∂L/∂b = {float(gb):.6f}")

# %%
# The graph, with values and adjoints
# -----------------------------------
# :func:`slopebook.backprop.draw_graph` draws the graph with matplotlib: each box holds a
# node's value and adjoint, each arrow the local partial derivative. Multiply the arrows
# along the path from ``w`` to ``L`` and you get ``w``'s adjoint: the chain rule, read off
# the picture.
fig, ax = bp.draw_graph(L, title="L = (σ(w·x + b) − t)², x = 1.5, t = 1")
plt.show()
