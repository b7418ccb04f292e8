"""The same derivatives by automatic differentiation (PyTorch autograd), in float64.

Every function takes a ``f`` written with **torch** operations (``torch.sin``, ``@``,
``**``...) and a point given as anything numpy understands; it returns numpy arrays, so
results compare directly with :mod:`slopebook.finite`.

Two directions of travel through a computation, and which one each routine uses:

* **forward mode** pushes a tangent ``v`` from inputs to outputs and yields the
  Jacobian-vector product ``J v`` (:func:`jvp`); one pass per input direction.
* **reverse mode** pulls a cotangent ``w`` from outputs back to inputs and yields the
  vector-Jacobian product ``wᵀ J``, returned as its transpose ``Jᵀ w`` (:func:`vjp`).
  ``loss.backward()`` is reverse mode: with one scalar output it finds the whole gradient
  ``∇f = Jᵀ`` in one pass and adds (accumulates) it into each leaf's ``.grad``.

Neither :func:`jvp`, :func:`vjp` nor :func:`hvp` ever builds the full matrix.
Jacobians are ``(m, n)``: rows are outputs, as everywhere in slopebook.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray

from slopebook._validation import as_point, as_vector, check_callable

__all__ = ["derivative", "grad", "hessian", "hvp", "jacobian", "jvp", "to_tensor", "vjp"]

DTYPE = torch.float64


@functools.cache
def _load_forward_mode() -> None:
    """Import torch's forward-mode decompositions once, hiding torch's own deprecation.

    The first forward-mode call makes torch script some internal decompositions with
    ``torch.jit.script``, which warns about its own deprecation; that warning is about
    torch's internals, not about anything the caller can change.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"`torch\.jit\.script` is deprecated", category=DeprecationWarning
        )
        from torch._decomp import decompositions_for_jvp  # noqa: F401


def to_tensor(x: ArrayLike, *, requires_grad: bool = False, name: str = "x") -> torch.Tensor:
    """A float64 tensor copy of ``x`` (validated: real and finite).

    Examples
    --------
    >>> to_tensor([1, 2])
    tensor([1., 2.], dtype=torch.float64)
    """
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    arr = as_point(x, name)
    return torch.tensor(arr, dtype=DTYPE, requires_grad=requires_grad)


def _scalar(y: Any, what: str) -> torch.Tensor:
    if not isinstance(y, torch.Tensor):
        msg = (
            f"f must return a torch tensor (write it with torch operations), got "
            f"{type(y).__name__}"
        )
        raise TypeError(msg)
    if y.numel() != 1:
        msg = f"f must return a scalar for {what}, got shape {tuple(y.shape)}"
        raise ValueError(msg)
    return y.reshape(())


def _numpy(t: torch.Tensor) -> NDArray[np.float64]:
    return t.detach().cpu().numpy().astype(np.float64, copy=False)


def _vector_fn(f: Callable[..., Any]) -> Callable[[torch.Tensor], torch.Tensor]:
    """Wrap ``f`` so that its output is a tensor of at most one dimension."""

    def wrapped(t: torch.Tensor) -> torch.Tensor:
        y = f(t)
        if not isinstance(y, torch.Tensor):
            msg = (
                f"f must return a torch tensor (write it with torch operations), got "
                f"{type(y).__name__}"
            )
            raise TypeError(msg)
        if y.ndim > 1:
            msg = f"f must return a scalar or a 1-D tensor, got shape {tuple(y.shape)}"
            raise ValueError(msg)
        return y

    return wrapped


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike) -> NDArray | float:
    """Elementwise derivative ``f'(x)`` of a one-variable torch function, by reverse mode.

    Because ``f`` acts elementwise, the gradient of ``sum(f(x))`` with respect to ``x``
    is exactly ``f'(x)`` at every point: one backward pass for all points.

    Examples
    --------
    >>> derivative(torch.sin, [0.0, np.pi])
    array([ 1., -1.])
    """
    f = check_callable(f)
    xt = to_tensor(x, requires_grad=True)
    y = f(xt)
    if not isinstance(y, torch.Tensor) or y.shape != xt.shape:
        msg = "f must act elementwise on a tensor and return a tensor of the same shape"
        raise ValueError(msg)
    (g,) = torch.autograd.grad(y, xt, grad_outputs=torch.ones_like(y))
    out = _numpy(g)
    return float(out) if out.ndim == 0 else out


def grad(f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike) -> NDArray[np.float64]:
    """Gradient of a scalar torch function at ``x`` (shape ``(n,)``), by one backward pass.

    Examples
    --------
    >>> grad(lambda w: (w**2).sum(), [3.0, 4.0])
    array([6., 8.])
    """
    f = check_callable(f)
    xt = to_tensor(as_vector(x), requires_grad=True)
    y = _scalar(f(xt), "a gradient (use jacobian for vector outputs)")
    (g,) = torch.autograd.grad(y, xt, allow_unused=True)
    return np.zeros(xt.shape) if g is None else _numpy(g)


def jacobian(f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike) -> NDArray[np.float64]:
    """Full Jacobian, shape ``(m, n)``: rows are outputs.

    Examples
    --------
    >>> jacobian(lambda p: torch.stack([p[0]**2 * p[1], p[0] + p[1]**3]), [2.0, 3.0])
    array([[12.,  4.],
           [ 1., 27.]])
    """
    f = _vector_fn(check_callable(f))
    xt = to_tensor(as_vector(x))
    J = torch.autograd.functional.jacobian(f, xt)
    return _numpy(J).reshape(-1, xt.numel())


def hessian(f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike) -> NDArray[np.float64]:
    """Hessian of a scalar torch function, shape ``(n, n)``.

    Examples
    --------
    >>> hessian(lambda p: p[0]**2 - p[1]**2, [0.0, 0.0])
    array([[ 2.,  0.],
           [ 0., -2.]])
    """
    f = check_callable(f)
    xt = to_tensor(as_vector(x))
    H = torch.autograd.functional.hessian(lambda t: _scalar(f(t), "a Hessian"), xt)
    return _numpy(H)


def _direction(v: ArrayLike, n: int, name: str) -> torch.Tensor:
    vt = to_tensor(as_vector(v, name), name=name)
    if vt.numel() != n:
        msg = f"{name} must have {n} components to match, got {vt.numel()}"
        raise ValueError(msg)
    return vt


def jvp(
    f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike, v: ArrayLike
) -> NDArray[np.float64]:
    """Jacobian-vector product ``J(x) v`` by **forward mode**, without building ``J``.

    ``v`` lives in the input space (shape ``(n,)``); the result lives in the output space
    (shape ``(m,)``). For a differentiable ``f`` this is the directional derivative of
    every output along ``v``, ``D_v f_i = ∇f_i · v``, for any ``v``: it is linear in ``v``
    and scales with ``|v|``. It is the slope per unit distance only when ``|v| = 1``, the
    quantity :func:`slopebook.directional_derivative` computes (and so asks for a unit
    vector).

    Examples
    --------
    >>> f = lambda p: torch.stack([p[0]**2 * p[1], p[0] + p[1]**3])
    >>> jvp(f, [2.0, 3.0], [1.0, 0.0])  # first column of J
    array([12.,  1.])
    """
    f = _vector_fn(check_callable(f))
    xt = to_tensor(as_vector(x))
    vt = _direction(v, xt.numel(), "v")
    _load_forward_mode()
    out = torch.func.jvp(f, (xt,), (vt,))[1]  # (f(x), J v)
    return _numpy(out).reshape(-1)


def vjp(
    f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike, w: ArrayLike
) -> NDArray[np.float64]:
    """Vector-Jacobian product ``wᵀ J(x)`` by **reverse mode**, without building ``J``.

    ``w`` lives in the output space (shape ``(m,)``); the result lives in the input space
    (shape ``(n,)``). ``wᵀ J`` is a row; its transpose ``Jᵀ w`` is returned as a 1-D
    array. This is what ``loss.backward()`` computes for a scalar loss: with ``w = 1``,
    ``Jᵀ w = ∇f`` is the gradient, which ``backward()`` adds (accumulates) into each
    leaf's ``.grad``.

    Examples
    --------
    >>> f = lambda p: torch.stack([p[0]**2 * p[1], p[0] + p[1]**3])
    >>> vjp(f, [2.0, 3.0], [1.0, 0.0])  # first row of J
    array([12.,  4.])
    """
    f = _vector_fn(check_callable(f))
    xt = to_tensor(as_vector(x))
    y, pullback = torch.func.vjp(f, xt)[:2]  # (f(x), v -> vᵀ J)
    wt = _direction(w, max(y.numel(), 1), "w").reshape(y.shape)
    (out,) = pullback(wt)
    return _numpy(out)


def hvp(
    f: Callable[[torch.Tensor], torch.Tensor], x: ArrayLike, v: ArrayLike
) -> NDArray[np.float64]:
    """Hessian-vector product ``H(x) v`` without forming ``H``: forward mode over reverse mode.

    It differentiates the gradient along ``v`` (a JVP of the gradient), so the ``n × n``
    Hessian is never formed: the memory is about that of one gradient computation, not
    ``n²`` numbers. When ``f`` is twice continuously differentiable ``H`` is
    symmetric, so ``H v = (vᵀ H)ᵀ``; autograd does not check that hypothesis.

    Examples
    --------
    >>> hvp(lambda p: p[0]**2 - p[1]**2, [0.0, 0.0], [1.0, 1.0])
    array([ 2., -2.])
    """
    f = check_callable(f)
    xt = to_tensor(as_vector(x))
    vt = _direction(v, xt.numel(), "v")

    def g(t: torch.Tensor) -> torch.Tensor:
        return torch.func.grad(lambda s: _scalar(f(s), "a Hessian-vector product"))(t)

    _load_forward_mode()
    out = torch.func.jvp(g, (xt,), (vt,))[1]
    return _numpy(out)
