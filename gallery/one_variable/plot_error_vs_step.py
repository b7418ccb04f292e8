"""
Error against step size: forward, central and complex step
==========================================================

A finite difference trades two errors against each other: the truncation error of the
formula, which shrinks with the step :math:`h`, and the rounding error of floating-point
subtraction, which grows as :math:`h` shrinks. The complex step has no subtraction, so
it has only the first. We measure all three on one awkward function.
"""

# %%
# A test function and its exact slope
# -----------------------------------
# :math:`f(x) = e^x / \sqrt{\sin^3 x + \cos^3 x}` at :math:`x = 1.5`, the test function
# of the complex-step paper by Squire and Trapp (SIAM Review, 1998): smooth, but with
# large higher derivatives. Torch autograd gives the reference value,
# exact up to rounding.
import matplotlib.pyplot as plt
import numpy as np
import torch

import slopebook as sb
from slopebook.plotting import plot_error_vs_step, use_style

use_style()


def f(x):
    return np.exp(x) / np.sqrt(np.sin(x) ** 3 + np.cos(x) ** 3)


def f_torch(x):
    return torch.exp(x) / torch.sqrt(torch.sin(x) ** 3 + torch.cos(x) ** 3)


x0 = 1.5
exact = sb.autodiff.derivative(f_torch, x0)
print(f"f'(1.5) by autograd: {exact:.15f}")

# %%
# Sweep the step
# --------------
# The same call, :func:`slopebook.derivative`, with three formulas and 41 steps from
# :math:`10^{-1}` to :math:`10^{-21}`. The forward and central differences are only
# run while :math:`h` is at least two spacings of doubles at :math:`x` (``np.spacing``,
# about :math:`2.2 \times 10^{-16}` at 1.5): below that, :math:`x + h` cannot be
# represented, the differences return zero or nonsense, and slopebook says so with a
# :class:`~slopebook.StepSizeWarning`.
steps = np.logspace(-1, -21, 41)
relative_error = {}
for method in ("forward", "central", "complex"):
    usable = steps if method == "complex" else steps[steps >= 2 * np.spacing(x0)]
    est = np.array([sb.derivative(f, x0, method=method, h=h) for h in usable])
    err = np.full(steps.shape, np.nan)
    err[: usable.size] = np.abs(est - exact) / abs(exact)
    relative_error[method] = err

best = {m: float(steps[np.nanargmin(relative_error[m])]) for m in ("forward", "central")}
for m, e in relative_error.items():
    print(
        f"{m:>8}: smallest relative error {np.nanmin(e):.1e}, first reached at h = "
        f"{steps[np.nanargmin(e)]:.0e}"
    )
print(f" complex: relative error {relative_error['complex'][-1]:.1e} at h = {steps[-1]:.0e}")

# %%
# The V shape and its slopes
# --------------------------
# To the right of each minimum, truncation dominates: the error falls like :math:`h`
# for the forward difference and like :math:`h^2` for the central one. To the left,
# rounding dominates and the error grows like :math:`\varepsilon / h`. The complex step
# falls like :math:`h^2` too (its curve hides the central one's right branch) until it
# reaches machine precision, and then stays there for any smaller :math:`h`; its exact
# zeros sit on the bottom edge. Grey lines are reference slopes, drawn a factor 10 above
# the data so they stay visible; dotted coloured lines mark the best steps found.
fig, ax = plot_error_vs_step(
    steps, relative_error, best=best, title="Relative error of f'(1.5) against h"
)
eps = np.finfo(float).eps
first = {m: relative_error[m][0] / steps[0] ** p for m, p in (("forward", 1), ("central", 2))}
ax.loglog(steps, 10 * first["forward"] * steps, color="gray", ls=":", lw=1, label="slope 1: h")
ax.loglog(
    steps, 10 * first["central"] * steps**2, color="gray", ls="--", lw=1, label="slope 2: h²"
)
ax.loglog(steps, 10 * eps / steps, color="gray", ls="-.", lw=1, label="round-off: ε/h")
ax.set_ylim(1e-18, 1e2)
ax.set_ylabel("relative error")
ax.legend(fontsize=8, ncol=2)
plt.show()

# %%
# What slopebook picks by default
# -------------------------------
# :func:`slopebook.default_step` returns a rule-of-thumb step that balances the two
# errors when :math:`f` and its derivatives are of order 1: :math:`\sqrt{\varepsilon}`
# for forward, :math:`\varepsilon^{1/3}` for central (times :math:`\max(1, |x|)`). This
# :math:`f` has large higher derivatives, so the defaults are less accurate than the
# best measured steps above: compare the printed errors.
for method in ("forward", "central"):
    h = sb.default_step(method) * max(1.0, abs(x0))
    err = abs(sb.derivative(f, x0, method=method) - exact) / abs(exact)
    print(f"{method:>8}: default h = {h:.1e}, relative error {err:.1e}")
