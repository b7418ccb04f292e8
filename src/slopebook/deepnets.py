"""Deep stacks of layers: counting their partial derivatives and watching gradients fade.

How many partial derivatives one training step of a neural network needs: one per
parameter (:func:`mlp`, :func:`count_parameters`). And how big they are, layer by layer,
once the chain rule has multiplied its way down a deep stack
(:func:`gradient_norms_through_depth`). Everything runs in float64, and the random
weights and inputs are reproducible (argument ``seed``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray

from slopebook._validation import check_callable, integer, one_of, positive_number
from slopebook.activations import ACTIVATIONS
from slopebook.finite import default_step

__all__ = ["count_parameters", "gradient_norms_through_depth", "mlp", "nudge_partial"]

_MODULES = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}


def _check_activation(activation: Any) -> str:
    return one_of(activation, ACTIVATIONS, "activation")


def mlp(sizes: Sequence[int], activation: str = "relu", *, seed: int = 0) -> torch.nn.Sequential:
    """A small multi-layer perceptron in float64: ``Linear`` layers with an activation between.

    Parameters
    ----------
    sizes : sequence of int
        Widths from input to output, e.g. ``(3, 4, 1)``: 3 inputs, one hidden layer of 4,
        1 output. At least two entries.
    activation : {"relu", "sigmoid", "tanh"}, default "relu"
        The activation after every layer except the last.
    seed : int, default 0
        Seed for the initial weights. The global torch random state is left untouched.

    Examples
    --------
    >>> model = mlp((3, 4, 1))
    >>> model
    Sequential(
      (0): Linear(in_features=3, out_features=4, bias=True)
      (1): ReLU()
      (2): Linear(in_features=4, out_features=1, bias=True)
    )
    >>> model[0].weight.dtype
    torch.float64
    """
    activation = _check_activation(activation)
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        msg = f"sizes must be a sequence of layer widths such as (3, 4, 1), got {sizes!r:.40}"
        raise TypeError(msg)
    widths = [integer(s, "every layer width", minimum=1) for s in sizes]
    if len(widths) < 2:
        msg = f"sizes needs at least an input and an output width, got {list(sizes)}"
        raise ValueError(msg)
    layers: list[torch.nn.Module] = []
    # A private copy of the global random state: seeding here leaves the caller's alone.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for k, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
            layers.append(torch.nn.Linear(n_in, n_out, dtype=torch.float64))
            if k < len(widths) - 2:
                layers.append(_MODULES[activation]())
    return torch.nn.Sequential(*layers)


def count_parameters(model: torch.nn.Module) -> int:
    """Number of trainable numbers in ``model``: one partial derivative each per step.

    A ``Linear(n_in, n_out)`` layer holds ``n_in · n_out`` weights and ``n_out`` biases.

    Examples
    --------
    >>> count_parameters(mlp((3, 4, 1)))  # (3·4 + 4) + (4·1 + 1)
    21
    """
    if not isinstance(model, torch.nn.Module):
        msg = f"model must be a torch.nn.Module, got {type(model).__name__}"
        raise TypeError(msg)
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))


def gradient_norms_through_depth(
    activation: str,
    depth: int,
    width: int = 64,
    *,
    weight_scale: float = 1.0,
    batch: int = 32,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Push a signal through ``depth`` layers, then measure the gradient arriving at each.

    The network is ``h_k = act(W_k h_{k−1})`` for ``k = 1 … depth`` with square
    ``width × width`` weight matrices drawn from a normal distribution with standard deviation
    ``weight_scale / sqrt(width)`` (``weight_scale = sqrt(2)`` is He initialisation for
    ReLU), fed a reproducible (argument ``seed``) batch of standard-normal inputs ``h_0``.
    The loss is ``L = Σ_b u · h_depth[b]`` for a fixed random unit vector ``u``, so the
    gradient at the output has length exactly 1 for every example and any growth or decay
    below it comes from the chain rule alone: ``∂L/∂h_{k−1} = W_kᵀ (act'(W_k h_{k−1}) ⊙
    ∂L/∂h_k)``, one matrix factor per layer. When each factor shrinks the gradient (on
    average over the random weights) it vanishes geometrically on its way to the input;
    when each stretches it, it explodes.

    Parameters
    ----------
    activation : {"relu", "sigmoid", "tanh"}
        The activation, taken from :mod:`slopebook.activations`.
    depth : int
        Number of layers, at least 1.
    width : int, default 64
        Neurons per layer.
    weight_scale : float, default 1.0
        Multiplies the initial weights' standard deviation ``1 / sqrt(width)``.
    batch : int, default 32
        Number of input vectors.
    seed : int, default 0
        Seed for the weights, inputs and ``u``.

    Returns
    -------
    ndarray, shape (depth + 1,)
        Entry ``k`` is ``‖∂L/∂h_k‖`` averaged over the batch: entry 0 at the input,
        entry ``depth`` (always 1) at the output.

    Examples
    --------
    >>> g = gradient_norms_through_depth("sigmoid", depth=10)
    >>> g.shape
    (11,)
    >>> print(g[-1])
    1.0
    >>> print(g[0] < 1e-4)  # ten sigmoid layers: almost nothing reaches the input
    True
    """
    activation = _check_activation(activation)
    depth = integer(depth, "depth", minimum=1)
    width = integer(width, "width", minimum=1)
    batch = integer(batch, "batch", minimum=1)
    scale = positive_number(weight_scale, "weight_scale")
    act, _ = ACTIVATIONS[activation]
    gen = torch.Generator().manual_seed(int(seed))
    std = scale / np.sqrt(width)
    weights = [
        torch.randn(width, width, generator=gen, dtype=torch.float64) * std for _ in range(depth)
    ]
    u = torch.randn(width, generator=gen, dtype=torch.float64)
    u = u / torch.linalg.norm(u)
    signals = [torch.randn(batch, width, generator=gen, dtype=torch.float64).requires_grad_()]
    for W in weights:
        signals.append(act(signals[-1] @ W.T))
    loss = (signals[-1] @ u).sum()
    grads = torch.autograd.grad(loss, signals[:-1])
    norms = [float(torch.linalg.norm(g, dim=1).mean()) for g in grads]
    return np.array([*norms, float(torch.linalg.norm(u))])


def nudge_partial(
    loss_fn: Callable[[], torch.Tensor],
    param: torch.Tensor,
    index: tuple[int, ...],
    *,
    h: float | None = None,
) -> float:
    """One partial derivative of a model's loss, by nudging one weight: a central difference.

    Sets ``param[index]`` to ``w + h`` and ``w − h`` in place (restoring ``w`` afterwards,
    even on error), evaluates ``loss_fn()`` each time without building a graph, and
    returns ``(L(w + h) − L(w − h)) / 2h``: the slope of the loss along that one "slider"
    with every other weight held fixed. Backpropagation computes all of them at once;
    this computes one, an independent check of any single entry of theirs.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn()`` returns the loss as a scalar tensor, reading ``param``.
    param : torch.Tensor
        A float64 parameter tensor (for example ``model[0].weight``).
    index : tuple of int
        Which entry of ``param`` to nudge.
    h : float, optional
        The step; default ``eps**(1/3) · max(1, |w|)``.

    Examples
    --------
    >>> model = mlp((2, 3, 1), "tanh")
    >>> x = torch.ones(4, 2, dtype=torch.float64)
    >>> loss_fn = lambda: model(x).pow(2).mean()
    >>> loss_fn().backward()
    >>> by_nudge = nudge_partial(loss_fn, model[0].weight, (1, 0))
    >>> print(abs(by_nudge - model[0].weight.grad[1, 0].item()) < 1e-9)
    True
    """
    loss_fn = check_callable(loss_fn, "loss_fn")
    if not isinstance(param, torch.Tensor) or param.dtype != torch.float64:
        msg = "param must be a float64 torch tensor (build the model with dtype=torch.float64)"
        raise TypeError(msg)
    if not isinstance(index, tuple) or len(index) != param.ndim:
        msg = f"index must be a tuple of {param.ndim} integers for a tensor of shape {tuple(param.shape)}"
        raise ValueError(msg)
    with torch.no_grad():
        w = float(param[index])
        step = default_step("central") * max(1.0, abs(w)) if h is None else float(h)
        if not np.isfinite(step) or step <= 0:
            msg = f"h must be positive and finite, got {h!r}"
            raise ValueError(msg)
        try:
            param[index] = w + step
            up = float(loss_fn())
            param[index] = w - step
            down = float(loss_fn())
        finally:
            param[index] = w
    return (up - down) / (2 * step)
