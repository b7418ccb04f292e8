"""The derivative rules as a catalogue of examples, each checkable three ways.

Every :class:`Rule` pairs a function with the derivative a rule predicts for it. The
function is written once, with operations that numpy and torch share, so
:func:`check_rule` can compare the rule's answer with a finite difference
(:func:`slopebook.derivative`) and with torch autograd
(:func:`slopebook.autodiff.derivative`) on the same points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from slopebook import activations
from slopebook._backend import xp
from slopebook._validation import as_point, check_callable
from slopebook.finite import derivative as finite_derivative

__all__ = ["RULES", "Rule", "check_rule"]


class Rule(NamedTuple):
    """One derivative rule shown on one function.

    Attributes
    ----------
    name : str
        The rule ("power", "chain", ...).
    function : str
        The example function, as plain text.
    derivative : str
        What the rule says its derivative is, as plain text.
    f : callable
        The function; accepts numpy arrays and torch tensors.
    df : callable
        The derivative the rule predicts (numpy arrays).
    domain : tuple of float
        An interval to sample test points from. ``f`` is smooth on it, except that the
        interval of ``relu`` contains its kink at 0, which test points must avoid.
    """

    name: str
    function: str
    derivative: str
    f: Callable[[Any], Any]
    df: Callable[[Any], Any]
    domain: tuple[float, float]


def _exp(x: Any) -> Any:
    return xp(x).exp(x)


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("power", "x³", "3x²", lambda x: x**3, lambda x: 3 * x**2, (-2.0, 2.0)),
        Rule("exponential", "eˣ", "eˣ", _exp, np.exp, (-2.0, 2.0)),
        Rule(
            "constant times eˣ",
            "3eˣ",
            "3eˣ",
            lambda x: 3 * _exp(x),
            lambda x: 3 * np.exp(x),
            (-2.0, 2.0),
        ),
        Rule("log", "ln x", "1/x", lambda x: xp(x).log(x), lambda x: 1 / x, (0.2, 4.0)),
        Rule(
            "sum",
            "sin x + x²",
            "cos x + 2x",
            lambda x: xp(x).sin(x) + x**2,
            lambda x: np.cos(x) + 2 * x,
            (-2.0, 2.0),
        ),
        Rule(
            "product",
            "x² sin x",
            "2x sin x + x² cos x",
            lambda x: x**2 * xp(x).sin(x),
            lambda x: 2 * x * np.sin(x) + x**2 * np.cos(x),
            (-2.0, 2.0),
        ),
        Rule(
            "chain",
            "sin(x²)",
            "cos(x²) · 2x",
            lambda x: xp(x).sin(x**2),
            lambda x: np.cos(x**2) * 2 * x,
            (-2.0, 2.0),
        ),
        Rule(
            "relu",
            "max(0, x)",
            "1 if x > 0 else 0",
            activations.relu,
            activations.relu_derivative,
            (-2.0, 2.0),
        ),
        Rule(
            "sigmoid",
            "σ(x) = 1/(1 + e⁻ˣ)",
            "σ(x)(1 − σ(x))",
            activations.sigmoid,
            activations.sigmoid_derivative,
            (-6.0, 6.0),
        ),
        Rule(
            "tanh",
            "tanh x",
            "1 − tanh² x",
            activations.tanh,
            activations.tanh_derivative,
            (-3.0, 3.0),
        ),
    )
}


def check_rule(
    f: Callable[[Any], Any], df: Callable[[Any], Any], x: ArrayLike
) -> dict[str, float]:
    """Largest gap between a rule's derivative and finite differences / autograd.

    Parameters
    ----------
    f : callable
        The function, written with operations that work on numpy arrays *and* torch
        tensors (``x**3``, :func:`slopebook.activations.sigmoid`, ...).
    df : callable
        The derivative the rule predicts, evaluated on numpy arrays.
    x : array_like
        Points to compare at. Keep them off any kink (ReLU at 0): there the derivative
        does not exist and the three methods may legitimately disagree.

    Returns
    -------
    dict
        ``{"finite": max |central difference − df|, "autograd": max |autograd − df|}``
        over the points.

    Examples
    --------
    >>> rule = RULES["chain"]
    >>> errors = check_rule(rule.f, rule.df, np.linspace(-2, 2, 9))
    >>> print(errors["finite"] < 1e-8, errors["autograd"] < 1e-14)
    True True
    """
    from slopebook.autodiff import derivative as autograd_derivative  # torch, on first use

    f = check_callable(f)
    df = check_callable(df, "df")
    xs = as_point(x)
    exact = np.asarray(df(xs), dtype=float)
    if exact.shape != xs.shape:
        msg = f"df must return one value per point, got shape {exact.shape} for {xs.shape}"
        raise ValueError(msg)
    fd = finite_derivative(lambda t: np.asarray(f(t)), xs)
    ad = autograd_derivative(f, xs)
    return {
        "finite": float(np.max(np.abs(fd - exact))),
        "autograd": float(np.max(np.abs(ad - exact))),
    }
