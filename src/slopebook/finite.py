"""Finite-difference derivatives: slope from nothing but evaluations of ``f``.

Every routine here works in float64 (float32 input stays float32) and picks, when ``h`` is
``None``, a rule-of-thumb default step for its method: the step that balances truncation
error against round-off when ``f`` and its derivatives are of comparable size, where it is
near-optimal. The best step for a particular ``f`` depends on its derivatives
(:func:`slopebook.step_size_study` measures it). The default is scaled by ``max(1, |x|)``
so that the step stays meaningful far from the origin (except the complex step, whose
round-off does not grow as ``h`` shrinks, since nothing is subtracted, and which is never
scaled):

============  ===================  ==========================  ======================
method        formula              default step                typical relative error
============  ===================  ==========================  ======================
forward       (f(x+h) - f(x))/h    sqrt(eps) ≈ 1.5e-8          sqrt(eps) ≈ 1.5e-8
backward      (f(x) - f(x-h))/h    sqrt(eps) ≈ 1.5e-8          sqrt(eps) ≈ 1.5e-8
central       (f(x+h)-f(x-h))/2h   eps**(1/3) ≈ 6.1e-6         eps**(2/3) ≈ 3.7e-11
complex       Im f(x+ih) / h       eps ≈ 2.2e-16 (any tiny h)  eps ≈ 2.2e-16
============  ===================  ==========================  ======================

The Jacobian of ``f: R^n -> R^m`` is the ``(m, n)`` matrix whose row ``i`` is the
transposed gradient ``∇f_iᵀ`` of output ``i``: rows are outputs, columns are inputs (so for
a scalar ``f``, ``∇f = Jᵀ``; numpy returns the gradient as a 1-D array). This convention
holds everywhere in slopebook, in code and in text.

The routines are built in layers, each in a private module of its own: the step rules
(``_steps``), the evaluation of ``f`` near ``x`` (``_batch``), the checks that raise the
named warnings (``_diagnostics``) and the difference formulas (``_stencils``). A gradient
is the one row of a Jacobian, transposed; the Hessian is its own second-difference
stencil, ``n² + n + 1`` evaluations per step (:func:`slopebook.hessian` takes two steps,
for its Richardson extrapolation), where differencing a central gradient would need about
``4n²``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook import numerical_warnings as nw
from slopebook._stencils import (
    difference,
    elementwise,
    partials,
    richardson,
    second_differences,
)
from slopebook._steps import (
    METHODS,
    Method,
    check_method,
    hessian_steps,
    relative_step,
    scaled,
    steps,
)
from slopebook._validation import as_point, as_vector, check_callable, check_step, one_of

__all__ = [
    "METHODS",
    "default_step",
    "derivative",
    "directional_derivative",
    "gradient",
    "hessian",
    "jacobian",
]

#: Tolerance on ``|u| - 1`` below which a direction counts as a unit vector.
UNIT_TOLERANCE = 1e-9


def default_step(method: str, dtype: Any = np.float64) -> float:
    """Return the default step of a difference formula, relative to ``max(1, |x|)``.

    It is a rule of thumb that does not depend on ``f``: the step that balances truncation
    error against round-off when ``f`` and its derivatives are of comparable size, where it
    is near-optimal. The best step for a particular ``f`` depends on its derivatives
    (:func:`slopebook.step_size_study` measures it).

    Parameters
    ----------
    method : {"forward", "backward", "central", "complex", "second"}
        The difference formula; ``"second"`` is a plain central second difference,
        ``(f(x+h) - 2 f(x) + f(x-h)) / h²``. (:func:`hessian` combines two second
        differences by a Richardson step, which cancels their ``h²`` error, and so takes
        the larger step ``eps**(1/6)``.)
    dtype : numpy dtype, optional
        The floating-point type the differences are computed in.

    Returns
    -------
    float
        ``sqrt(eps)`` for one-sided differences, ``eps**(1/3)`` for central,
        ``eps**(1/4)`` for a plain second difference (:func:`hessian` extrapolates and
        uses ``eps**(1/6)``) and ``eps`` for the complex step.

    Examples
    --------
    >>> default_step("forward")
    1.49011...e-08
    >>> default_step("central")
    6.05545...e-06
    >>> default_step("central", np.float32)
    0.0049...
    """
    one_of(method, (*METHODS, "second"), "method")
    return relative_step(method, dtype)


def derivative(
    f: Callable[[Any], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
) -> NDArray[np.floating] | float:
    """Derivative of a one-variable function at one point or at many points at once.

    Parameters
    ----------
    f : callable
        A function of one real variable that works elementwise on numpy arrays
        (``np.sin``, ``lambda x: x**2``, ...). For ``method="complex"`` it must also
        accept complex input, be complex-analytic (no ``abs``, ``max`` or comparisons)
        and be real-valued on real input (Squire and Trapp, 1998).
    x : float or array_like
        Where to take the derivative. An array is handled in one vectorised call.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula; :func:`default_step` lists the step each one uses.
    h : float, array_like or None, default None
        The step. ``None`` picks the method's rule-of-thumb default
        (:func:`default_step`, near-optimal when ``f`` and its derivatives are of
        comparable size), scaled by ``max(1, |x|)`` (the complex step ``eps`` is not
        scaled).

    Returns
    -------
    float or ndarray
        ``f'(x)``, with the shape of ``x`` (a float for a scalar ``x``).

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not real.
    ValueError
        If ``x`` is not finite, ``h <= 0``, ``method`` is unknown, or ``f`` does not
        return one value per input.

    Warns
    -----
    KinkWarning
        (central) Left and right difference quotients disagree: ``f`` has a kink at or
        within a step of ``x`` (``relu`` or ``abs`` near 0). The central
        difference costs one more evaluation, ``f(x)``, for this check, and points whose
        one-sided slopes differ by more than curvature explains get four more.
    StepSizeWarning
        A given ``h`` is below the spacing of doubles at ``x``, or ``f`` changes on a
        scale shorter than the step (``sin`` at ``1e20``).
    NonAnalyticWarning
        (complex) ``f`` is not complex-analytic: it returned real values, cast complex to
        real, or disagrees with a central difference (checked for small steps).
    NonFiniteWarning
        ``f`` is ``nan`` or ``inf`` at a probed point.
    PrecisionWarning
        ``x`` is float32.

    References
    ----------
    W. Squire and G. Trapp (1998). Using complex variables to estimate derivatives of real
    functions. *SIAM Review* 40(1), 110–112.

    Examples
    --------
    The slope of ``x**2`` is ``2x``:

    >>> derivative(lambda x: x**2, [3.0, 0.0, -2.0])
    array([ 6.,  0., -4.])

    The complex step has no subtractive cancellation, so with a tiny step it is accurate
    to rounding (here equal to ``cos(1)`` in every digit):

    >>> print(derivative(np.sin, 1.0, method="complex") == np.cos(1.0))
    True
    """
    f = check_callable(f)
    method = check_method(method)
    xa = as_point(x)
    routine = "derivative"
    nw.check_precision(xa, routine)
    out = elementwise(f, xa, method, check_step(h), routine)
    return float(out) if out.ndim == 0 else out


def gradient(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
    check_kinks: bool = False,
) -> NDArray[np.floating]:
    """Gradient of a scalar function of ``n`` variables: all ``n`` partial derivatives.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula used for each partial derivative.
    h : float, array_like of shape (n,) or None, default None
        Step(s); ``None`` picks the rule-of-thumb default of :func:`default_step` per
        component, scaled by ``max(1, |x_i|)``.
    vectorized : bool, default False
        If True, ``f`` accepts an ``(n, k)`` array whose columns are ``k`` points and
        returns their ``k`` values; all ``2n`` perturbed points then go to ``f`` as the
        columns of a few large arrays (blocks of about ``2**15`` numbers, sized for the
        processor's cache), which for large ``n`` is much faster than ``2n`` separate
        calls.
    check_kinks : bool, default False
        Also look for kinks (``relu``/``abs`` at the point): coordinates whose left and
        right slopes differ more than curvature explains get four more evaluations to
        tell a kink (:class:`~slopebook.KinkWarning`) from a smooth bend. Off by default
        so that a central gradient costs exactly ``2n + 1`` evaluations; the cheap checks
        (non-finite values, steps below the spacing of doubles, complex step through a
        non-analytic ``f``, float32) always run.

    Returns
    -------
    ndarray, shape (n,)
        ``[df/dx_1, ..., df/dx_n]``, pointing uphill.

    Raises
    ------
    ValueError
        If ``f`` returns more than one number (use :func:`jacobian`), or for the bad
        inputs listed under :func:`derivative`.

    Examples
    --------
    The bowl ``x**2 + y**2`` at ``(3, 4)``:

    >>> gradient(lambda p: p[0]**2 + p[1]**2, [3.0, 4.0])
    array([6., 8.])
    """
    # The gradient is the one row of the Jacobian of a scalar f.
    return _jacobian(f, x, method, h, vectorized, check_kinks, routine="gradient")[0]


def jacobian(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
    check_kinks: bool = False,
) -> NDArray[np.floating]:
    """Jacobian matrix of ``f: R^n -> R^m``: shape ``(m, n)``, **rows are outputs**.

    Row ``i`` is the gradient of output ``f_i``, transposed (``∇f_iᵀ``); column ``j`` is
    how every output moves when input ``x_j`` is nudged. It is built one column (one input)
    at a time, with two evaluations of ``f`` per column for the central difference.

    Parameters
    ----------
    f : callable
        ``f(x) -> array of shape (m,)`` (a scalar counts as ``m = 1``).
    x : array_like, shape (n,)
        The point.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula.
    h : float, array_like of shape (n,) or None, default None
        Step(s), as in :func:`gradient`.
    vectorized : bool, default False
        If True, ``f`` maps an ``(n, k)`` array of ``k`` points to ``(m, k)``, and the
        perturbed points are evaluated in a few large calls, as in :func:`gradient`.
    check_kinks : bool, default False
        Look for kinks as in :func:`gradient` (up to four more evaluations per input).

    Returns
    -------
    ndarray, shape (m, n)
        ``J[i, j] = d f_i / d x_j``.

    Examples
    --------
    ``f(x, y) = (x**2 y, x + y**3)`` at ``(2, 3)``:

    >>> J = jacobian(lambda p: np.array([p[0]**2 * p[1], p[0] + p[1]**3]), [2.0, 3.0])
    >>> J.round(6)
    array([[12.,  4.],
           [ 1., 27.]])
    >>> J.shape  # (outputs, inputs)
    (2, 2)
    """
    return _jacobian(f, x, method, h, vectorized, check_kinks, routine="jacobian")


def _jacobian(
    f: Any, x: Any, method: Any, h: Any, vectorized: bool, check_kinks: bool, *, routine: str
) -> NDArray[np.floating]:
    """Check the inputs of :func:`jacobian` or :func:`gradient` (which insists on a scalar
    ``f``) and difference along every coordinate."""
    f, method = check_callable(f), check_method(method)
    return partials(
        f,
        as_vector(x),
        method,
        check_step(h),
        scalar=routine == "gradient",
        vectorized=vectorized,
        routine=routine,
        check_kinks=check_kinks,
    )


def hessian(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    h: float | ArrayLike | None = None,
    vectorized: bool = False,
) -> NDArray[np.floating]:
    """Hessian of a scalar function: the symmetric ``(n, n)`` matrix of second derivatives.

    Second differences at steps ``h`` and ``2h`` are combined by one Richardson step,
    ``(4 H(h) - H(2h)) / 3``, which cancels their ``h²`` truncation error; the default
    ``h = eps**(1/6) * max(1, |x_i|)`` (about ``2.5e-3``) balances the remaining ``h⁴``
    error against round-off near ``eps**(2/3)``. Each second difference needs
    ``n² + n + 1`` evaluations (off-diagonal entries use only ``f(x ± (h_i e_i + h_j e_j))``
    plus the diagonal's points). Only the upper triangle is computed, so the result is
    exactly symmetric. :func:`slopebook.hessian_estimate` adds an error estimate.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    h : float, array_like of shape (n,) or None, default None
        The smaller of the two steps; ``None`` picks the rule-of-thumb default
        ``eps**(1/6) * max(1, |x_i|)``, near-optimal when ``f`` and its derivatives are of
        comparable size.
    vectorized : bool, default False
        If True, ``f`` maps an ``(n, k)`` array of ``k`` points to ``(k,)`` values, and
        the points are evaluated in a few large calls instead of ``2(n² + n + 1)`` small
        ones.

    Returns
    -------
    ndarray, shape (n, n)
        ``H[i, j] = d^2 f / dx_i dx_j``.

    Examples
    --------
    The saddle ``x**2 - y**2`` curves up along x and down along y:

    >>> hessian(lambda p: p[0]**2 - p[1]**2, [0.0, 0.0]).round(6)
    array([[ 2.,  0.],
           [ 0., -2.]])
    """
    f = check_callable(f)
    xa = as_vector(x)
    nw.check_precision(xa, "hessian")
    hs = hessian_steps(xa, check_step(h), "hessian")
    h1, _ = second_differences(f, xa, hs, vectorized, "hessian")
    h2, _ = second_differences(f, xa, steps(xa, "central", 2 * hs), vectorized, "hessian")
    return richardson(h1, h2)


def directional_derivative(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    u: ArrayLike,
    *,
    normalize: bool = False,
    method: Method = "central",
    h: float | None = None,
) -> float:
    """Slope of ``f`` at ``x`` per unit distance walked in direction ``u``: ``∇f · u``.

    The derivative of ``f`` along a vector ``v``, ``D_v f(x) = d/dt f(x + t v)`` at
    ``t = 0``, makes sense for any ``v`` (where that derivative exists), and doubling ``v``
    doubles it. For a differentiable ``f`` it equals ``∇f · v``, which is linear in ``v``.
    It is the slope of the ground, the
    change of ``f`` per unit distance, only when ``v`` is a unit vector, and that slope is
    what this routine returns. So a ``u`` whose length is not 1 is refused rather than
    answered with a number scaled by ``|u|``, unless ``normalize=True`` asks for ``u`` to be
    divided by its length first. (For ``∇f · v`` along an arbitrary ``v``, a Jacobian-vector
    product, use :func:`slopebook.autodiff.jvp`.)

    The slope is computed directly as the derivative of ``t -> f(x + t u)`` at ``t = 0``:
    two evaluations of ``f`` for the central difference, whatever ``n`` is. It runs none of
    the checks behind the named warnings of :func:`derivative` and :func:`gradient` (kinks,
    non-finite values, steps below the spacing of doubles, float32, a non-analytic ``f``
    under the complex step); for a checked slope, take ``gradient(f, x) @ u``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    u : array_like, shape (n,)
        The direction; must have length 1 unless ``normalize=True``.
    normalize : bool, default False
        Divide ``u`` by its length first.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula.
    h : float or None, default None
        Step along ``u``; ``None`` picks the rule-of-thumb default of
        :func:`default_step`, scaled by ``max(1, max|x_i|)``.

    Returns
    -------
    float
        ``D_u f(x)``.

    Raises
    ------
    ValueError
        If ``u`` has the wrong shape, is zero, or is not a unit vector while
        ``normalize`` is False.

    Examples
    --------
    On the bowl ``x**2 + y**2`` at ``(3, 4)``, walking north-east:

    >>> bowl = lambda p: p[0]**2 + p[1]**2
    >>> directional_derivative(bowl, [3.0, 4.0], [1.0, 1.0], normalize=True)
    9.899494...
    >>> directional_derivative(bowl, [3.0, 4.0], [1.0, 1.0])
    Traceback (most recent call last):
    ...
    ValueError: u must be a unit vector for a slope per unit distance, but |u| = 1.41421...
    """
    f = check_callable(f)
    method = check_method(method)
    xa = as_vector(x)
    ua = as_vector(u, "u").astype(xa.dtype)
    if ua.shape != xa.shape:
        msg = f"u must have the same shape as x, {xa.shape}, got {ua.shape}"
        raise ValueError(msg)
    length = float(np.linalg.norm(ua))
    if length == 0.0:
        msg = "u must not be the zero vector: a direction needs a length; pick a nonzero u"
        raise ValueError(msg)
    if normalize:
        ua = ua / length
    elif abs(length - 1.0) > UNIT_TOLERANCE:
        msg = (
            f"u must be a unit vector for a slope per unit distance, but |u| = {length:.6g}; "
            "the derivative along any v is ∇f · v, which scales with |v|. Pass "
            "u / np.linalg.norm(u) or normalize=True for the slope, or use "
            "slopebook.autodiff.jvp for ∇f · v itself"
        )
        raise ValueError(msg)
    step = check_step(h)
    if step is None:
        step = float(scaled(method, xa.dtype, float(np.max(np.abs(xa)))))
    if np.ndim(step):
        msg = "h must be a single positive number for a directional derivative"
        raise ValueError(msg)
    if method == "complex":
        ua = ua.astype(complex)

    def along(t: Any) -> NDArray:
        out = np.asarray(f(xa + t * ua))
        if out.size != 1:
            msg = (
                f"f must return a scalar (one number) here, got shape {out.shape}; "
                "for a vector-valued f use slopebook.autodiff.jvp"
            )
            raise ValueError(msg)
        return out.reshape(())

    return float(np.real(difference(along, 0.0, np.float64(step), method)))
