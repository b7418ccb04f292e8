"""
Hessian eigenvalues: bowl, saddle, and a flat direction
=======================================================

At a point where the gradient is zero, the Hessian's eigenvalues say what kind of point it
is: all positive, a strict local minimum; all negative, a strict local maximum; both
signs, a saddle. A zero eigenvalue, or one too close to zero to trust, leaves the test
undecided unless the other eigenvalues already have both signs (then it is a saddle).
"""

# %%
# Two critical points at the origin
# ---------------------------------
# The bowl :math:`x^2 + y^2` and the saddle :math:`x^2 - y^2` both have zero gradient at
# the origin. Their Hessians, by finite differences (:func:`slopebook.hessian`) and by
# autograd (:func:`slopebook.autodiff.hessian`), tell them apart.
import matplotlib.pyplot as plt
import numpy as np

import slopebook as sb
from slopebook.landscapes import bowl, saddle
from slopebook.plotting import PALETTE, use_style

use_style()

origin = np.zeros(2)
results = {}
for name, f in (("bowl", bowl), ("saddle", saddle)):
    H = sb.autodiff.hessian(f, origin)
    H_fd = sb.hessian(f, origin)
    eigenvalues, eigenvectors = np.linalg.eigh(H)
    kind = sb.classify_critical_point(H)
    results[name] = (f, eigenvalues, eigenvectors, kind)
    print(
        f"{name:>6}: gradient {sb.autodiff.grad(f, origin)}, eigenvalues {eigenvalues}, "
        f"finite-difference gap {np.abs(H_fd - H).max():.0e} -> {kind}"
    )

# %%
# Eigenvectors are the directions of pure curvature
# -------------------------------------------------
# Along an eigenvector :math:`q` with eigenvalue :math:`\lambda`, the function near the
# critical point :math:`x^*` behaves like :math:`f(x^* + tq) = f(x^*) + \tfrac12 \lambda t^2`
# (up to terms smaller than :math:`t^2`; exactly, for these quadratics, where
# :math:`f(x^*) = 0`): up for :math:`\lambda > 0`, down for :math:`\lambda < 0`. The arrows below are the eigenvectors, coloured by sign.
fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
X, Y = np.meshgrid(np.linspace(-2, 2, 201), np.linspace(-2, 2, 201))
for ax, (name, (f, eigenvalues, eigenvectors, kind)) in zip(axes, results.items(), strict=True):
    cs = ax.contourf(X, Y, f(np.array([X, Y])), levels=15, cmap="viridis")
    ax.contour(X, Y, f(np.array([X, Y])), levels=[0.0], colors="white", linewidths=1.5)
    for lam, q in zip(eigenvalues, eigenvectors.T, strict=True):
        color = PALETTE["orange"] if lam > 0 else PALETTE["sky"]
        for sign in (1, -1):
            ax.annotate(
                "",
                xy=sign * 1.4 * q,
                xytext=(0, 0),
                arrowprops={"arrowstyle": "->", "color": color, "lw": 2.5},
            )
        ax.text(
            *(1.0 * q + [0.12, 0.15]),
            f"λ = {lam:+.0f}",
            color="white",
            fontsize=11,
            fontweight="bold",
        )
    ax.set_aspect("equal")
    ax.set_title(f"{name}: {kind}")
    fig.colorbar(cs, ax=ax, shrink=0.8)
plt.show()

# %%
# Walking along the eigenvectors
# ------------------------------
# Check the :math:`\tfrac12 \lambda t^2` claim on the saddle: along :math:`q_1` the height
# goes down, along :math:`q_2` it goes up, exactly as the eigenvalues predict.
f, eigenvalues, eigenvectors, _ = results["saddle"]
t = np.linspace(-1.5, 1.5, 7)
for lam, q in zip(eigenvalues, eigenvectors.T, strict=True):
    along = np.array([f(tk * q) for tk in t])
    print(f"λ = {lam:+.0f}: largest gap to λt²/2 {np.abs(along - 0.5 * lam * t**2).max():.1e}")

# %%
# Curvature in any direction, without the matrix
# ----------------------------------------------
# The curvature along a unit direction :math:`u` is :math:`u^\top H u`. Autograd gets
# :math:`Hu` from a Hessian-vector product (:func:`slopebook.autodiff.hvp`) without ever
# forming :math:`H`, which matters when :math:`H` would have a trillion entries. On the saddle the
# curvature along :math:`(\cos\theta, \sin\theta)` is :math:`2\cos 2\theta`: it
# sweeps from :math:`\lambda_{\min} = -2` to :math:`\lambda_{\max} = 2`, and the
# eigenvalues are exactly its extremes.
angles = np.radians([0, 30, 45, 60, 90])
for angle in angles:
    u = np.array([np.cos(angle), np.sin(angle)])
    curvature = u @ sb.autodiff.hvp(saddle, origin, u)
    print(
        f"θ = {np.degrees(angle):>2.0f}°: uᵀHu = {curvature:+.4f}   "
        f"(2 cos 2θ = {2 * np.cos(2 * angle):+.4f})"
    )

# %%
# When the test cannot decide
# ---------------------------
# :math:`g(x, y) = x^2 + y^4` has its minimum at the origin, but the Hessian there is
# :math:`\operatorname{diag}(2, 0)`: along :math:`y` the curvature is zero and the
# second-derivative test is silent. A plain central second difference of :math:`y^4` at 0
# gives :math:`2h^2 > 0`, which taken at face value would say "minimum" for the wrong
# reason. :func:`slopebook.hessian` extrapolates over two steps, which cancels that term
# and leaves a round-off-sized number whose sign means nothing.
# :func:`slopebook.classify_critical_point` treats an eigenvalue that small as zero, with
# or without an explicit error bound, and answers ``"indeterminate"`` rather than guessing.


def quartic(p):
    return p[0] ** 2 + p[1] ** 4


H = sb.hessian(quartic, origin)
print(f"finite-difference Hessian eigenvalues: {np.linalg.eigvalsh(H)}")
print(
    f"a plain second difference would give 2h², with h = {sb.default_step('second'):.3e}: "
    f"{2 * sb.default_step('second') ** 2:.3e}"
)
print(f"classified ignoring the error:     {sb.classify_critical_point(H)}")
print(f"classified with error bound 1e-6: {sb.classify_critical_point(H, error=1e-6)}")
