"""
Finite differences vs autograd on sin x
=======================================

The derivative of :math:`\\sin x` is :math:`\\cos x`. We compute it on 400 points in
:math:`[-\\pi, \\pi]` in three ways — by the rule, by torch autograd and by a central finite
difference — and then look at what the eye cannot see on the first plot: the error.
"""

# %%
# Three ways to one derivative
# ----------------------------
# :func:`slopebook.autodiff.derivative` runs one backward pass through ``torch.sin`` for
# all 400 points at once. :func:`slopebook.derivative` evaluates ``np.sin`` at
# :math:`x \pm h` and divides; we use the step :math:`h = 10^{-4}`.
import matplotlib.pyplot as plt
import numpy as np
import torch

import slopebook as sb
from slopebook.plotting import plot_derivative_comparison, plot_error_vs_step, use_style

use_style()

x = np.linspace(-np.pi, np.pi, 400)
reference = np.cos(x)  # numpy's cosine: the exact derivative up to rounding
by_autograd = sb.autodiff.derivative(torch.sin, x)
by_difference = sb.derivative(np.sin, x, h=1e-4)

fig, ax = plot_derivative_comparison(
    x,
    {
        "cos x (numpy)": reference,
        "torch autograd": by_autograd,
        "central difference": by_difference,
    },
    title="sin'(x) three ways",
)
plt.show()

# %%
# The error, point by point
# -------------------------
# The three curves overlap, but their errors do not.
# Autograd applies the rule :math:`\sin' = \cos`: it has no truncation error, only the
# rounding of evaluating :math:`\cos`. Against numpy's cosine its gap is exactly 0 at
# the points counted below, because torch and numpy compute the same floating-point
# cosine there; on the log axis those exact zeros are drawn on the bottom edge. The finite
# difference carries the truncation error whose leading term is
# :math:`\tfrac{h^2}{6}|\sin'''(x)|`, at most :math:`h^2/6` (printed below).
err_autograd = np.abs(by_autograd - reference)
err_difference = np.abs(by_difference - reference)
print(f"largest gap to np.cos, autograd:           {err_autograd.max():.1e}")
print(f"points where that gap is exactly 0:        {np.sum(err_autograd == 0)} of {x.size}")
print(f"largest gap to np.cos, central difference: {err_difference.max():.1e}")
print(f"truncation term h**2 / 6:                  {1e-4**2 / 6:.1e}")

fig, ax = plt.subplots()
floor = 1e-19  # exact zeros are drawn here, on the bottom edge of the log axis
ax.semilogy(x, np.maximum(err_difference, floor), label="central difference, h = 1e-4")
ax.semilogy(x, np.maximum(err_autograd, floor), label="torch autograd (0 drawn at the edge)")
ax.axhline(1e-4**2 / 6, color="gray", ls=":", label="truncation term h²/6")
ax.set_ylim(floor / 2, 1e-7)
ax.set_xlabel("x")
ax.set_ylabel("absolute gap to np.cos")
ax.set_title("Error of each estimate of sin'(x)")
ax.legend()
plt.show()

# %%
# Which step is best?
# -------------------
# Shrinking :math:`h` reduces truncation error but amplifies rounding error, so each
# method has a best step. Sweep :math:`h` and watch the largest error over the 400 points:
# the printout gives each method's best step, and the central difference's best error is
# hundreds of times smaller than the forward one's (the ratio is printed). The first
# chapter's exercise on error against step size, and the appendix on accuracy, explain
# both best steps.
steps = np.logspace(-1, -13, 25)
largest = {
    method: [np.abs(sb.derivative(np.sin, x, method=method, h=h) - reference).max() for h in steps]
    for method in ("forward", "central")
}
for method, errors in largest.items():
    i = int(np.argmin(errors))
    print(f"{method:>8}: smallest largest-error {errors[i]:.1e} at h = {steps[i]:.0e}")
print(
    f"forward's best over central's best: {min(largest['forward']) / min(largest['central']):.0f}"
)
fig, ax = plot_error_vs_step(steps, largest)
plt.show()
