"""Backpropagation in a few readable lines: reverse mode (:class:`~slopebook.backprop.Var`)
and forward mode (:class:`~slopebook.backprop.Dual`) on plain Python floats.

Every arithmetic operation on a :class:`Var` makes a new node of a **computational graph**
that remembers its inputs and the *local* partial derivative with respect to each, e.g.
``z = x * y`` stores ``(x, y.value)`` and ``(y, x.value)``. ``z.backward()`` then visits
the graph once, from ``z`` back to the inputs, in reverse topological order, and applies
the chain rule at each node: a node's **adjoint** ``v̄ = ∂z/∂v`` is the sum, over every
use of ``v``, of the user's adjoint times the local partial. That is reverse mode, and one
pass gives the partial derivative of ``z`` with respect to every node at once.

A :class:`Dual` carries a value and a **tangent** (the derivative along one chosen input
direction) through the same operations: forward mode, one pass per input direction.

How ``.grad`` differs from PyTorch
----------------------------------
``Var.backward()`` *sets* ``.grad`` on every node that this output depends on to
``∂(this)/∂(that)``: calling it twice gives the same numbers, and calling it on another
output replaces them on every node that output depends on (nodes outside its graph keep
their old values). PyTorch's ``Tensor.backward()`` *adds* into ``.grad`` of the leaves (so that
gradients of several losses can be summed) and frees the graph unless
``retain_graph=True``; a training loop therefore calls ``optimizer.zero_grad()`` before each
backward pass. Here there is nothing to zero.

:func:`forward_trace` and :func:`reverse_trace` return a sweep as a table
(:class:`Trace`), :func:`draw_graph` draws the graph with its values and adjoints
(matplotlib, imported only when you draw), and :func:`gradient` and :func:`jacobian`
differentiate a plain Python function of a list of floats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any

import numpy as np
from numpy.typing import NDArray

# The engine, one concept a module: the rules both modes share (_common), reverse mode and
# the walks over its graph (_reverse), forward mode (_forward), the sweeps as tables (_trace)
# and the drawing (_graph). Every public name is importable, and documented, from here.
from slopebook.backprop._common import number as _number
from slopebook.backprop._forward import Dual
from slopebook.backprop._graph import draw_graph
from slopebook.backprop._reverse import Var, topological_order
from slopebook.backprop._trace import Trace, forward_trace, reverse_trace

__all__ = [
    "Dual",
    "Trace",
    "Var",
    "draw_graph",
    "forward_trace",
    "gradient",
    "jacobian",
    "reverse_trace",
    "topological_order",
]


def _point(x: Any) -> list[float]:
    try:
        items = list(x)
    except TypeError as err:
        msg = f"x must be a sequence of real numbers, got {type(x).__name__}: {x!r:.60}"
        raise TypeError(msg) from err
    if not items:
        msg = "x must have at least one component, got an empty sequence"
        raise ValueError(msg)
    return [_number(v, f"x[{i}]") for i, v in enumerate(items)]


def _outputs(out: Any, kind: type) -> list[Any]:
    try:
        outs = [out] if isinstance(out, kind) else list(out)
    except TypeError:
        outs = []
    if not outs or not all(isinstance(o, kind) for o in outs):
        msg = (
            f"f must return a {kind.__name__} or a sequence of them (computed from its "
            f"inputs), got {out!r:.60}"
        )
        raise TypeError(msg)
    return outs


def gradient(f: Callable[[list[Var]], Var], x: Sequence[float]) -> NDArray[np.float64]:
    """The gradient of a scalar ``f`` at ``x`` by one reverse-mode pass.

    ``f`` takes a list of :class:`Var` (one per component of ``x``) and returns a Var.

    Examples
    --------
    >>> gradient(lambda v: v[0] ** 2 * v[1] + 3 * v[1], [2.0, 5.0])
    array([20.,  7.])
    """
    inputs = [Var(v) for v in _point(x)]
    (out,) = _outputs(f(inputs), Var)
    out.backward()
    return np.array([v.grad for v in inputs])


def jacobian(
    f: Callable[[list[Any]], Any], x: Sequence[float], mode: str = "reverse"
) -> NDArray[np.float64]:
    """The ``(m, n)`` Jacobian of ``f`` at ``x``, by forward or by reverse mode.

    ``mode="forward"`` runs ``f`` on :class:`Dual` numbers ``n`` times (one
    Jacobian-vector product per input, a column each); ``mode="reverse"`` runs ``f`` on
    :class:`Var` once and backward ``m`` times (one vector-Jacobian product per output, a
    row each). ``f`` takes a list of numbers of the chosen kind and returns one or a
    sequence of them.

    Examples
    --------
    >>> f = lambda v: [v[0] * v[1], v[0].sin(), v[1] ** 3]
    >>> J = jacobian(f, [1.0, 2.0], mode="forward")
    >>> J.shape
    (3, 2)
    >>> bool(np.allclose(J, jacobian(f, [1.0, 2.0], mode="reverse")))
    True
    """
    point = _point(x)
    if mode == "forward":
        columns = []
        for j in range(len(point)):
            seeded = [Dual(v, 1.0 if i == j else 0.0) for i, v in enumerate(point)]
            columns.append([o.tangent for o in _outputs(f(seeded), Dual)])
        return np.array(columns).T
    if mode == "reverse":
        inputs = [Var(v) for v in point]
        rows = []
        for out in _outputs(f(inputs), Var):
            for v in inputs:  # an input this output does not use keeps grad 0
                v.grad = 0.0
            out.backward()
            rows.append([v.grad for v in inputs])
        return np.array(rows)
    msg = f"unknown mode {mode!r}; choose one of 'forward', 'reverse'"
    raise ValueError(msg)


# Documented, cross-referenced, pickled and doctested as slopebook.backprop.<name>, wherever
# they are defined (as in slopebook.plotting). A class's methods too: doctest looks for a
# method's examples in the module its __module__ names.
for _name in __all__:
    _obj = globals()[_name]
    _members = vars(_obj).values() if isinstance(_obj, type) else ()
    for _each in (_obj, *_members):
        if isinstance(_each, (type, FunctionType)):
            _each.__module__ = __name__
del _name, _obj, _members, _each
