"""Slices through a model's loss landscape along filter-normalised random directions.

A network has far too many weights to plot its loss, so one plots the loss along a line
``w + α d`` (a 1-D slice) or over a plane ``w + α d₁ + β d₂`` (a 2-D slice) through the
trained weights ``w``. Li et al. (2018) proposed rescaling the directions to the size of
the weights they perturb, **filter by filter**, and found that it makes such plots
comparable across networks whose weights differ in scale. Without it, in a network whose
function does not change when a filter's weights are scaled (ReLU layers followed by batch
normalisation, say), large weights make the loss look flat and small weights make it look
sharp, although both compute the same function. :func:`filter_normalized_direction` does
that rescaling; :func:`loss_slice_1d` and :func:`loss_slice_2d` evaluate the slices.

A *filter* is one output unit's incoming weights: a row of a ``Linear`` weight
``(out, in)`` or one output channel of a convolution ``(out, in, kh, kw)``. Its slice
``d[i]`` is rescaled to ``‖w[i]‖``. Following Li et al.'s code, one-dimensional
parameters (biases, normalisation scales) get a zero direction unless
``ignore_1d=False``, in which case each is rescaled as a whole.

References
----------
H. Li, Z. Xu, G. Taylor, C. Studer and T. Goldstein (2018). Visualizing the loss landscape
of neural nets. *Advances in Neural Information Processing Systems 31 (NeurIPS 2018)*,
6389–6399.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray

from slopebook._validation import as_vector, check_callable, integer

__all__ = ["filter_normalized_direction", "loss_slice_1d", "loss_slice_2d", "random_direction"]

Direction = list[torch.Tensor]


def _check_model(model: object) -> torch.nn.Module:
    if not isinstance(model, torch.nn.Module):
        msg = f"model must be a torch.nn.Module, got {type(model).__name__}"
        raise TypeError(msg)
    if not list(model.parameters()):
        msg = "model has no parameters: there is no landscape to slice"
        raise ValueError(msg)
    return model


def random_direction(model: torch.nn.Module, *, seed: int) -> Direction:
    """A random Gaussian direction in weight space, **not** normalised (reproducible: ``seed``).

    Entry for entry, the same draws as :func:`filter_normalized_direction` with the same
    seed makes before rescaling, so the two can be compared directly.

    Examples
    --------
    >>> layer = torch.nn.Linear(3, 2).double()
    >>> [tuple(d.shape) for d in random_direction(layer, seed=0)]
    [(2, 3), (2,)]
    """
    model = _check_model(model)
    gen = torch.Generator().manual_seed(integer(seed, "seed"))
    return [torch.randn(p.shape, generator=gen, dtype=p.dtype) for p in model.parameters()]


def filter_normalized_direction(
    model: torch.nn.Module,
    *,
    seed: int,
    ignore_1d: bool = True,
) -> Direction:
    """A random direction in weight space, rescaled filter by filter (Li et al., 2018).

    Each entry is drawn from a standard normal (reproducibly, from ``seed``), then every
    filter ``d[i]`` is multiplied by ``‖w[i]‖ / ‖d[i]‖``, so that the direction has, filter
    by filter, the size of the weights it perturbs.

    Parameters
    ----------
    model : torch.nn.Module
        The trained model; its parameters are read, never changed.
    seed : int
        Seed of the random generator (required, so that slices are reproducible).
    ignore_1d : bool, default True
        Give biases and other 1-D parameters a zero direction (as Li et al.'s code
        does); with False each is rescaled to its own norm as one filter.

    Returns
    -------
    list of torch.Tensor
        One tensor per parameter, in ``model.parameters()`` order, with its shape and dtype.

    Examples
    --------
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> layer = torch.nn.Linear(3, 2).double()
    >>> d = filter_normalized_direction(layer, seed=1)
    >>> bool(torch.allclose(d[0].norm(dim=1), layer.weight.norm(dim=1)))
    True
    >>> float(d[1].abs().sum())  # the bias is not perturbed
    0.0
    """
    raw = random_direction(model, seed=seed)
    direction: Direction = []
    for p, d in zip(model.parameters(), raw, strict=True):
        w = p.detach()
        if w.ndim <= 1 and ignore_1d:
            d = torch.zeros_like(w)
        elif w.ndim <= 1:
            d = d * (w.norm() / d.norm().clamp_min(1e-12))
        else:
            dims = tuple(range(1, w.ndim))
            w_norm = torch.linalg.vector_norm(w, dim=dims, keepdim=True)
            d_norm = torch.linalg.vector_norm(d, dim=dims, keepdim=True).clamp_min(1e-12)
            d = d * (w_norm / d_norm)
        direction.append(d)
    return direction


def _check_direction(model: torch.nn.Module, d: Sequence[torch.Tensor], name: str) -> Direction:
    params = list(model.parameters())
    if not isinstance(d, Sequence) or len(d) != len(params):
        msg = (
            f"{name} must be a list with one tensor per model parameter ({len(params)}), "
            "as returned by filter_normalized_direction"
        )
        raise ValueError(msg)
    out = []
    for k, (t, p) in enumerate(zip(d, params, strict=True)):
        if not isinstance(t, torch.Tensor) or t.shape != p.shape:
            shape = tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__
            msg = f"{name}[{k}] must be a tensor of shape {tuple(p.shape)}, got {shape}"
            raise ValueError(msg)
        out.append(t.detach().to(p.dtype))
    return out


@contextmanager
def _restored(model: torch.nn.Module) -> Iterator[list[torch.Tensor]]:
    """Yield the parameters; put the original values back afterwards, whatever happens."""
    params = list(model.parameters())
    saved = [p.detach().clone() for p in params]
    try:
        yield saved
    finally:
        with torch.no_grad():
            for p, s in zip(params, saved, strict=True):
                p.copy_(s)


def _loss_value(loss: Callable[[torch.nn.Module], torch.Tensor], model: torch.nn.Module) -> float:
    value = loss(model)
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        msg = "loss(model) must return a scalar torch tensor (the loss on your data)"
        raise ValueError(msg)
    return float(value)


def loss_slice_1d(
    model: torch.nn.Module,
    loss: Callable[[torch.nn.Module], torch.Tensor],
    direction: Sequence[torch.Tensor],
    alphas: ArrayLike,
) -> NDArray[np.float64]:
    """The loss along the line ``w + α d``, for each ``α`` in ``alphas``.

    The model's weights are restored afterwards (even if ``loss`` raises).

    Parameters
    ----------
    model : torch.nn.Module
        The model at the weights ``w`` to slice through.
    loss : callable
        ``loss(model)`` returns the scalar loss (a closure over your data).
    direction : list of torch.Tensor
        One tensor per parameter, e.g. from :func:`filter_normalized_direction`.
    alphas : array_like, shape (k,)
        Distances along ``direction``; ``α = 0`` is the trained model.

    Returns
    -------
    ndarray, shape (k,)

    Examples
    --------
    A model with one weight ``w = 2`` and loss ``w²``. A filter-normalised direction has
    the weight's size, ``|d| = 2`` (here ``d = +2``), so the loss at ``α`` is ``(2 + 2α)²``.

    >>> model = torch.nn.Linear(1, 1, bias=False).double()
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(2.0)
    >>> d = filter_normalized_direction(model, seed=0)
    >>> loss_slice_1d(model, lambda m: (m.weight**2).sum(), d, [-1.0, 0.0, 1.0]).round(12)
    array([ 0.,  4., 16.])
    """
    model = _check_model(model)
    loss = check_callable(loss, "loss")
    d = _check_direction(model, direction, "direction")
    a = as_vector(alphas, "alphas").astype(np.float64)
    out = np.empty(a.size)
    with _restored(model) as theta, torch.no_grad():
        params = list(model.parameters())
        for i, alpha in enumerate(a):
            for p, t, di in zip(params, theta, d, strict=True):
                p.copy_(t + float(alpha) * di)
            out[i] = _loss_value(loss, model)
    return out


def loss_slice_2d(
    model: torch.nn.Module,
    loss: Callable[[torch.nn.Module], torch.Tensor],
    directions: tuple[Sequence[torch.Tensor], Sequence[torch.Tensor]],
    alphas: ArrayLike,
    betas: ArrayLike,
) -> NDArray[np.float64]:
    """The loss over the plane ``w + α d₁ + β d₂``: ``Z[j, i]`` is at ``(alphas[i], betas[j])``.

    The layout matches ``np.meshgrid(alphas, betas)``, so ``plt.contour(A, B, Z)`` works
    directly. The model's weights are restored afterwards.

    Examples
    --------
    >>> model = torch.nn.Linear(2, 1, bias=False).double()
    >>> with torch.no_grad():
    ...     _ = model.weight.copy_(torch.tensor([[3.0, 4.0]]))
    >>> d1 = [torch.tensor([[5.0, 0.0]], dtype=torch.float64)]
    >>> d2 = [torch.tensor([[0.0, 5.0]], dtype=torch.float64)]
    >>> Z = loss_slice_2d(model, lambda m: (m.weight**2).sum(), (d1, d2), [0.0, 1.0], [0.0, 1.0])
    >>> Z  # rows are betas, columns alphas
    array([[ 25.,  80.],
           [ 90., 145.]])
    """
    model = _check_model(model)
    loss = check_callable(loss, "loss")
    if not isinstance(directions, (tuple, list)) or len(directions) != 2:
        msg = "directions must be a pair (d1, d2) of directions"
        raise ValueError(msg)
    d1 = _check_direction(model, directions[0], "directions[0]")
    d2 = _check_direction(model, directions[1], "directions[1]")
    a = as_vector(alphas, "alphas").astype(np.float64)
    b = as_vector(betas, "betas").astype(np.float64)
    out = np.empty((b.size, a.size))
    with _restored(model) as theta, torch.no_grad():
        params = list(model.parameters())
        for j, beta in enumerate(b):
            for i, alpha in enumerate(a):
                for p, t, u, v in zip(params, theta, d1, d2, strict=True):
                    p.copy_(t + float(alpha) * u + float(beta) * v)
                out[j, i] = _loss_value(loss, model)
    return out
