"""Finite-difference derivatives: slope from nothing but evaluations of ``f``.

Every routine here works in float64 (float32 input stays float32) and picks, when ``h`` is
``None``, the step that balances truncation error against round-off for its method,
scaled by ``max(1, |x|)`` so that the step stays meaningful far from the origin:

============  ===================  ==========================  ====================
method        formula              best step ``h*``            best relative error
============  ===================  ==========================  ====================
forward       (f(x+h) - f(x))/h    sqrt(eps) ≈ 1.5e-8          sqrt(eps) ≈ 1.5e-8
backward      (f(x) - f(x-h))/h    sqrt(eps) ≈ 1.5e-8          sqrt(eps) ≈ 1.5e-8
central       (f(x+h)-f(x-h))/2h   eps**(1/3) ≈ 6.1e-6         eps**(2/3) ≈ 3.7e-11
complex       Im f(x+ih) / h       eps ≈ 2.2e-16 (any tiny h)  eps ≈ 2.2e-16
============  ===================  ==========================  ====================

The Jacobian of ``f: R^n -> R^m`` is the ``(m, n)`` matrix whose row ``i`` is the gradient
of output ``i``: rows are outputs, columns are inputs. This convention holds everywhere
in slopebook, in code and in text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slopebook._validation import as_point, as_vector, check_callable, check_step

__all__ = [
    "METHODS",
    "default_step",
    "derivative",
    "directional_derivative",
    "gradient",
    "hessian",
    "jacobian",
]

Method = Literal["forward", "backward", "central", "complex"]
METHODS: tuple[str, ...] = ("forward", "backward", "central", "complex")

#: Tolerance on ``|u| - 1`` below which a direction counts as a unit vector.
UNIT_TOLERANCE = 1e-9


def _check_method(method: Any, allowed: tuple[str, ...] = METHODS) -> str:
    if not isinstance(method, str) or method not in allowed:
        valid = ", ".join(repr(m) for m in allowed)
        msg = f"unknown method {method!r}; choose one of {valid}"
        raise ValueError(msg)
    return method


def default_step(method: str, dtype: Any = np.float64) -> float:
    """Return the step, relative to ``max(1, |x|)``, that theory says is best.

    Parameters
    ----------
    method : {"forward", "backward", "central", "complex", "second"}
        The difference formula; ``"second"`` is the central second difference used
        by :func:`hessian`.
    dtype : numpy dtype, optional
        The floating-point type the differences are computed in.

    Returns
    -------
    float
        ``sqrt(eps)`` for one-sided differences, ``eps**(1/3)`` for central,
        ``eps**(1/4)`` for second differences and ``eps`` for the complex step.

    Examples
    --------
    >>> default_step("forward")
    1.49011...e-08
    >>> default_step("central")
    6.05545...e-06
    >>> default_step("central", np.float32)
    0.0049...
    """
    _check_method(method, (*METHODS, "second"))
    eps = float(np.finfo(dtype).eps)
    return {
        "forward": eps**0.5,
        "backward": eps**0.5,
        "central": eps ** (1 / 3),
        "second": eps**0.25,
        "complex": eps,
    }[method]


def _evaluate(f: Callable[..., Any], arg: Any, shape: tuple[int, ...], what: str) -> NDArray:
    """Call ``f(arg)`` and insist that the result has ``shape`` (elementwise use)."""
    out = np.asarray(f(arg))
    if out.shape != shape:
        msg = f"f must {what}; for input of shape {np.shape(arg)} it returned shape {out.shape}"
        raise ValueError(msg)
    if out.dtype.kind not in "biufc":
        msg = f"f must return numbers, got dtype {out.dtype}"
        raise TypeError(msg)
    return out


def _steps(x: NDArray, method: str, h: Any) -> NDArray:
    """Steps for each entry of ``x``, rounded so that ``x + h`` is exactly representable."""
    if h is None:
        h = default_step(method, x.dtype) * np.maximum(1.0, np.abs(x))
    h = np.broadcast_to(np.asarray(h, dtype=x.dtype), x.shape)
    if method == "complex":
        return h.copy()
    # (x + h) - x is the step the computer really takes; dividing by it removes one
    # source of round-off error (Numerical Recipes, section 5.7).
    return np.where((x + h) - x > 0, (x + h) - x, h)


def _difference(
    call: Callable[[NDArray], NDArray],
    x: NDArray,
    h: NDArray,
    method: str,
    f0: NDArray | None = None,
) -> NDArray:
    """Apply one difference formula to ``call`` at ``x`` with steps ``h``.

    ``h`` broadcasts against the output of ``call``; ``f0`` (``call(x)``) is reused when
    the caller already has it.
    """
    if method == "central":
        return (call(x + h) - call(x - h)) / (2 * h)
    if method == "complex":
        return np.imag(call(x + 1j * h)) / h
    if f0 is None:
        f0 = call(x)
    if method == "forward":
        return (call(x + h) - f0) / h
    return (f0 - call(x - h)) / h


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
        accept complex input and be complex-analytic (no ``abs``, ``max`` or comparisons).
    x : float or array_like
        Where to take the derivative. An array is handled in one vectorised call.
    method : {"central", "forward", "backward", "complex"}, default "central"
        The difference formula; :func:`default_step` lists the step each one uses.
    h : float, array_like or None, default None
        The step. ``None`` picks the theoretically best step for the method, scaled by
        ``max(1, |x|)``.

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

    Examples
    --------
    The slope of ``x**2`` is ``2x``:

    >>> derivative(lambda x: x**2, [3.0, 0.0, -2.0])
    array([ 6.,  0., -4.])

    The complex step has no subtractive cancellation, so it is exact to the last digit:

    >>> print(derivative(np.sin, 1.0, method="complex") == np.cos(1.0))
    True
    """
    f = check_callable(f)
    method = _check_method(method)
    xa = as_point(x)
    steps = _steps(xa, method, check_step(h))

    def call(arg: Any) -> NDArray:
        return _evaluate(f, arg, xa.shape, "act elementwise: one output per input")

    out = _difference(call, xa, steps, method)
    out = np.asarray(np.real(out), dtype=xa.dtype)
    return float(out) if out.ndim == 0 else out


def _partials(
    f: Callable[[Any], Any], x: NDArray, method: str, h: Any, *, scalar: bool
) -> NDArray:
    """Matrix of partial derivatives ``d out_i / d x_j``, shape ``(m, n)``."""
    n = x.size
    f0 = np.asarray(f(x.copy()))
    if scalar and f0.size != 1:
        msg = (
            f"f must return a scalar (one number) here, got shape {f0.shape}; "
            "for a vector-valued f use slopebook.jacobian"
        )
        raise ValueError(msg)
    if f0.ndim > 1:
        msg = f"f must return a scalar or a 1-D vector, got shape {f0.shape}; flatten it"
        raise ValueError(msg)
    shape = f0.shape
    steps = _steps(x, method, h)
    cols = np.empty((max(f0.size, 1), n), dtype=x.dtype)
    for j in range(n):
        e = np.zeros(n, dtype=complex if method == "complex" else x.dtype)
        e[j] = 1.0

        def along(t: Any, e: NDArray = e) -> NDArray:
            return _evaluate(f, x + t * e, shape, "return the same shape at every point")

        col = _difference(along, 0.0, steps[j], method, f0=f0)
        cols[:, j] = np.real(col).reshape(-1)
    return cols


def gradient(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
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
        Step(s); ``None`` picks the best step per component, scaled by ``max(1, |x_i|)``.

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
    f = check_callable(f)
    method = _check_method(method)
    xa = as_vector(x)
    return _partials(f, xa, method, check_step(h), scalar=True)[0]


def jacobian(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    method: Method = "central",
    h: float | ArrayLike | None = None,
) -> NDArray[np.floating]:
    """Jacobian matrix of ``f: R^n -> R^m``: shape ``(m, n)``, **rows are outputs**.

    Row ``i`` is the gradient of output ``f_i``; column ``j`` is how every output moves
    when input ``x_j`` is nudged. It is built one column (one input) at a time, with two
    evaluations of ``f`` per column for the central difference.

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
    f = check_callable(f)
    method = _check_method(method)
    xa = as_vector(x)
    return _partials(f, xa, method, check_step(h), scalar=False)


def hessian(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    *,
    h: float | ArrayLike | None = None,
) -> NDArray[np.floating]:
    """Hessian of a scalar function: the symmetric ``(n, n)`` matrix of second derivatives.

    Uses central second differences with step ``eps**(1/4) * max(1, |x_i|)``
    (about ``1.2e-4``), whose truncation and round-off errors balance near ``sqrt(eps)``.
    Only the upper triangle is computed, so the result is exactly symmetric.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
        The point.
    h : float, array_like of shape (n,) or None, default None
        Step(s); ``None`` picks the best.

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
    step = check_step(h)
    if step is None:
        step = default_step("second", xa.dtype) * np.maximum(1.0, np.abs(xa))
    hs = _steps(xa, "central", step)
    n = xa.size

    def fs(p: NDArray) -> float:
        out = np.asarray(f(p))
        if out.size != 1:
            msg = f"f must return a scalar (one number) for a Hessian, got shape {out.shape}"
            raise ValueError(msg)
        return float(out.reshape(()))

    f0 = fs(xa.copy())
    H = np.empty((n, n), dtype=xa.dtype)
    eye = np.eye(n, dtype=xa.dtype)
    for i in range(n):
        ei = hs[i] * eye[i]
        H[i, i] = (fs(xa + ei) - 2 * f0 + fs(xa - ei)) / hs[i] ** 2
        for j in range(i + 1, n):
            ej = hs[j] * eye[j]
            H[i, j] = H[j, i] = (
                fs(xa + ei + ej) - fs(xa + ei - ej) - fs(xa - ei + ej) + fs(xa - ei - ej)
            ) / (4 * hs[i] * hs[j])
    return H


def directional_derivative(
    f: Callable[[NDArray], Any],
    x: ArrayLike,
    u: ArrayLike,
    *,
    normalize: bool = False,
    method: Method = "central",
    h: float | None = None,
) -> float:
    """Slope of ``f`` at ``x`` when walking in direction ``u``: ``D_u f = ∇f · u``.

    The directional derivative is defined for a **unit** vector ``u``. A non-unit ``u``
    would scale the answer by ``|u|`` and silently overstate or understate the slope,
    so it is refused unless you ask for it to be normalised with ``normalize=True``.
    (For ``∇f · v`` with an arbitrary ``v``, which is a Jacobian-vector product, use
    :func:`slopebook.autodiff.jvp`.)

    The slope is computed directly as the derivative of ``t -> f(x + t u)`` at ``t = 0``:
    two evaluations of ``f`` for the central difference, whatever ``n`` is.

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
        Step along ``u``; ``None`` picks the best, scaled by ``max(1, max|x_i|)``.

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
    ValueError: u must be a unit vector but |u| = 1.41421...
    """
    f = check_callable(f)
    method = _check_method(method)
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
            f"u must be a unit vector but |u| = {length:.6g}; "
            "pass u / np.linalg.norm(u), or normalize=True to let slopebook do it"
        )
        raise ValueError(msg)
    step = check_step(h)
    if step is None:
        step = default_step(method, xa.dtype) * max(1.0, float(np.max(np.abs(xa))))
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

    return float(np.real(_difference(along, 0.0, np.float64(step), method)))
