"""Curvature from the Hessian: is a critical point a local minimum, a local maximum or a saddle?"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from slopebook._validation import as_point

__all__ = ["classify_critical_point"]

Kind = Literal["minimum", "maximum", "saddle", "indeterminate"]


def classify_critical_point(H: ArrayLike | Any, *, error: float | None = None) -> Kind:
    """Classify a critical point by the signs of the Hessian's eigenvalues.

    ``H`` must be the Hessian at a point where the gradient is zero; the function sees
    only the matrix and does not check that.

    This is the second-derivative test, and it holds at a critical point (where the
    gradient is zero) of a twice continuously differentiable ``f``. All eigenvalues
    positive: the surface curves up in every direction, a strict local **minimum**. All
    negative: a strict local **maximum**. Some of each: a **saddle**, whatever the other
    eigenvalues are. Otherwise an eigenvalue of zero makes the test inconclusive (``x⁴``,
    ``-x⁴`` and ``x³`` all have ``f'' = 0`` at 0), and so does one within ``error`` of zero,
    whose sign cannot be trusted: the answer is then **indeterminate**. Away from a
    critical point the signs describe curvature only.

    ``error`` bounds the error of ``H`` in the spectral norm (for a finite-difference
    Hessian, its estimated error). By Weyl's inequality every eigenvalue of the exact
    Hessian then lies within ``error`` of the computed one, so a sign is only relied on
    when it cannot flip: one eigenvalue above ``error`` and one below ``-error`` make a
    saddle even if a third is within ``error`` of zero. With ``error=None`` a tolerance of ``n · eps · max|λ|`` covers
    rounding in the eigenvalue computation alone.

    Parameters
    ----------
    H : array_like, shape (n, n), or HessianEstimate
        A symmetric matrix (it is symmetrised as ``(H + Hᵀ)/2``), or the result of
        :func:`slopebook.hessian_estimate`, whose ``norm_error`` is then used as ``error``.
    error : float, optional
        A bound on ``‖H_computed − H_exact‖₂``; must be ``>= 0``.

    Returns
    -------
    {"minimum", "maximum", "saddle", "indeterminate"}

    Raises
    ------
    ValueError
        If ``H`` is not square or ``error`` is negative or not finite.

    Examples
    --------
    >>> classify_critical_point([[2.0, 0.0], [0.0, -2.0]])
    'saddle'
    >>> classify_critical_point([[2.0, 0.0], [0.0, 2.0]])
    'minimum'
    >>> classify_critical_point([[2.0, 0.0], [0.0, 1e-9]], error=1e-6)
    'indeterminate'

    Both signs make a saddle, even beside an eigenvalue that might be zero:

    >>> classify_critical_point([[2.0, 0.0, 0.0], [0.0, -2.0, 0.0], [0.0, 0.0, 0.0]])
    'saddle'

    A finite-difference Hessian with its error estimate, passed as it is:

    >>> from slopebook import hessian_estimate
    >>> classify_critical_point(hessian_estimate(lambda p: p[0]**4 + p[1]**2, [0.0, 0.0]))
    'indeterminate'
    """
    if hasattr(H, "norm_error") and hasattr(H, "value"):
        error = H.norm_error if error is None else error
        H = H.value
    Ha = as_point(H, "H").astype(np.float64)
    if Ha.ndim != 2 or Ha.shape[0] != Ha.shape[1] or Ha.size == 0:
        msg = f"H must be a square (n, n) matrix, got shape {Ha.shape}"
        raise ValueError(msg)
    if error is not None and (not np.isfinite(error) or error < 0):
        msg = f"error must be a finite number >= 0 (a bound on the Hessian's error), got {error!r}"
        raise ValueError(msg)
    eig = np.linalg.eigvalsh((Ha + Ha.T) / 2)
    if error is None:
        error = Ha.shape[0] * np.finfo(np.float64).eps * float(np.max(np.abs(eig)))
    if np.any(eig > error) and np.any(eig < -error):
        return "saddle"  # an up and a down direction, whatever the doubtful eigenvalues are
    if np.any(np.abs(eig) <= error):
        return "indeterminate"
    if np.all(eig > 0):
        return "minimum"
    if np.all(eig < 0):
        return "maximum"
    return "saddle"
