"""Curvature from the Hessian: is a critical point a minimum, a maximum or a saddle?"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from slopebook._validation import as_point

__all__ = ["classify_critical_point"]

Kind = Literal["minimum", "maximum", "saddle", "indeterminate"]


def classify_critical_point(H: ArrayLike, *, error: float | None = None) -> Kind:
    """Classify a critical point by the signs of the Hessian's eigenvalues.

    All eigenvalues positive: the surface curves up in every direction, a **minimum**.
    All negative: a **maximum**. Some of each: a **saddle**. If any eigenvalue is within
    ``error`` of zero its sign cannot be trusted, and the answer is **indeterminate**.

    ``error`` bounds the error of ``H`` in the spectral norm (for a finite-difference
    Hessian, its estimated error). By Weyl's inequality every eigenvalue of the exact
    Hessian then lies within ``error`` of the computed one, so a sign is only reported
    when it cannot flip. With ``error=None`` a tolerance of ``n · eps · max|λ|`` covers
    rounding in the eigenvalue computation alone.

    Parameters
    ----------
    H : array_like, shape (n, n)
        A symmetric matrix (it is symmetrised as ``(H + Hᵀ)/2``).
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
    """
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
    if np.any(np.abs(eig) <= error):
        return "indeterminate"
    if np.all(eig > 0):
        return "minimum"
    if np.all(eig < 0):
        return "maximum"
    return "saddle"
