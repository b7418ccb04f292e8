"""What slopebook computes at a few control positions of each explorable.

Each function returns the cases that the ``{explorable}`` directive writes into the page's
``data-checks`` attribute; tests/browser/test_explorables.py sets each control to the
position in ``set`` and compares every readout's full value (``data-value``) with ``expect``.

Tolerances. A readout without an entry in ``tol`` must match exactly: the page and
slopebook do the same float64 operations (+, −, ×, ÷ and sqrt are correctly rounded in
both, so the same sequence gives the same double). Where a readout goes through ``exp``,
``sin``, ``cos`` or ``tanh``, the page uses V8's and numpy/torch use their own; each is
within 1 ulp of the true value, so two of them differ by at most 2 ulp, and the tolerance
below is that difference carried through the formula that follows (a bound, given in
``why``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

import slopebook as sb
from slopebook import activations
from slopebook.landscapes import (
    bowl,
    bowl_gradient,
    mixing_board,
    mixing_board_gradient,
    toy_loss,
    toy_loss_derivative,
)

EPS = float(np.finfo(np.float64).eps)  # 2**-52: 1 ulp of a number in [1, 2)
Case = dict[str, Any]


def _f(x: Any) -> Any:
    return x**2


def slope_secant() -> list[Case]:
    """Secant of x² through a and a + h, against the tangent slope 2a (all exact)."""
    cases = []
    for a, h in [(1.0, 1.0), (1.0, 0.01), (-2.5, 0.37), (0.0, 2.0)]:
        secant = float(sb.derivative(_f, a, method="forward", h=h))
        cases.append(
            {
                "set": {"a": a, "h": h},
                "expect": {"secant": secant, "tangent": 2 * a, "gap": secant - 2 * a},
            }
        )
    return cases


def slope_roundoff() -> list[Case]:
    """Forward and central differences of sin at 1 with h = 2**-k, and their errors."""
    cases = []
    x = 1.0
    exact = float(np.cos(x))
    for k in [1, 10, 20, 27, 36, 40]:
        h = 2.0**-k
        forward = float(sb.derivative(np.sin, x, method="forward", h=h))
        central = float(sb.derivative(np.sin, x, method="central", h=h))
        # sin(1 ± h) and sin(1) lie in [0.47, 1): 1 ulp is at most 2**-53, two libms differ by
        # at most 2 ulp = EPS in each value, so the difference of two values by 2 EPS; h is a
        # power of two, so dividing by h (or 2h) is exact. One more rounding of the quotient
        # adds 2 ulp relative; cos(1) adds EPS to each error.
        tol_f = {"abs": 2 * EPS / h, "rel": 2 * EPS}
        tol_c = {"abs": EPS / h, "rel": 2 * EPS}
        cases.append(
            {
                "set": {"k": k},
                "expect": {
                    "h": h,
                    "forward": forward,
                    "central": central,
                    "err_forward": abs(forward - exact),
                    "err_central": abs(central - exact),
                },
                "tol": {
                    "forward": tol_f,
                    "central": tol_c,
                    "err_forward": {"abs": tol_f["abs"] + EPS, "rel": 2 * EPS},
                    "err_central": {"abs": tol_c["abs"] + EPS, "rel": 2 * EPS},
                },
                "why": "sin from two libms, each within 1 ulp, divided by h = 2**-k",
            }
        )
    return cases


def rules_activation() -> list[Case]:
    """An activation and its derivative at x: slopebook.activations."""
    pairs = {
        "sigmoid": (activations.sigmoid, activations.sigmoid_derivative),
        "tanh": (activations.tanh, activations.tanh_derivative),
        "relu": (activations.relu, activations.relu_derivative),
    }
    # sigmoid: one exp (2 ulp between libms), then a division (ratio 1/(1+e) with relative
    # condition below 1): 4 EPS; the derivative e/(1+e)^2 carries the exp error three times:
    # 8 EPS. tanh: tanh itself (2 ulp) and its derivative 4e/(1+e)^2 as above: 4 and 8 EPS.
    # relu is exact.
    tol = {
        "sigmoid": {"value": {"rel": 4 * EPS}, "slope": {"rel": 8 * EPS}},
        "tanh": {"value": {"rel": 4 * EPS}, "slope": {"rel": 8 * EPS}},
        "relu": {},
    }
    for entry in tol.values():
        if "slope" in entry:
            entry["state"] = entry["slope"]
    peak = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
    cases = []
    for name, x in [("sigmoid", 0.0), ("sigmoid", 4.3), ("sigmoid", -6.0), ("tanh", 0.7),
                    ("tanh", -3.0), ("relu", 0.0), ("relu", 2.5), ("relu", -1.2)]:  # fmt: skip
        f, df = pairs[name]
        cases.append(
            {
                "set": {"activation": name, "x": x},
                "expect": {
                    "value": float(f(np.float64(x))),
                    "slope": float(df(np.float64(x))),
                    # the slope as a share of the derivative's peak (0.25, 1, 1): exact division
                    "state": float(df(np.float64(x))) / peak[name],
                },
                "tol": tol[name],
                "why": "exp and tanh from two libms, each within 1 ulp",
            }
        )
    return cases


def partial_knobs() -> list[Case]:
    """f = x²y + 3y and its two partial derivatives (exact)."""
    cases = []
    for x, y in [(2.0, 1.0), (-1.3, 2.7), (0.0, -3.0), (3.0, 0.1)]:
        p = np.array([x, y])
        dfdx, dfdy = mixing_board_gradient(p)
        cases.append(
            {
                "set": {"x": x, "y": y},
                "expect": {"f": float(mixing_board(p)), "dfdx": float(dfdx), "dfdy": float(dfdy)},
            }
        )
    return cases


def gradient_step() -> list[Case]:
    """The bowl x² + y²: its gradient at (x, y) and one descent step of size lr (exact)."""
    cases = []
    for x, y, lr in [(3.0, 4.0, 0.1), (-1.7, 0.6, 0.5), (2.0, -3.5, 1.0), (1.0, 1.0, 1.05)]:
        p = np.array([x, y])
        g = bowl_gradient(p)
        new = sb.gradient_descent_step(p, g, lr)
        cases.append(
            {
                "set": {"x": x, "y": y, "lr": lr},
                "expect": {
                    "gx": float(g[0]),
                    "gy": float(g[1]),
                    "norm": float(np.sqrt(g[0] * g[0] + g[1] * g[1])),
                    "x_new": float(new[0]),
                    "y_new": float(new[1]),
                    "f_old": float(bowl(p)),
                    "f_new": float(bowl(new)),
                },
            }
        )
    return cases


def directional_angle() -> list[Case]:
    """D_u f = ∇f · u on the bowl at (3, 4) for u at angle θ (degrees)."""
    g = bowl_gradient(np.array([3.0, 4.0]))
    cases = []
    for deg in [0, 53, 90, 143, 180, 233, 323]:
        t = deg * math.pi / 180
        u = np.array([np.cos(t), np.sin(t)])
        cases.append(
            {
                "set": {"theta": deg},
                "expect": {
                    "ux": float(u[0]),
                    "uy": float(u[1]),
                    "du": float(g[0] * u[0] + g[1] * u[1]),
                },
                # cos and sin in [-1, 1]: two libms differ by at most 2 ulp <= EPS; the dot
                # product scales that by |6| + |8| and adds two roundings of numbers < 16.
                "tol": {
                    "ux": {"abs": EPS},
                    "uy": {"abs": EPS},
                    "du": {"abs": 14 * EPS + 2 * 8 * EPS},
                },
                "why": "cos and sin from two libms, each within 1 ulp",
            }
        )
    return cases


def jacobian_map(p: Any) -> Any:
    """f(x, y) = (x²y, x + y³), the map of the Jacobian chapter (numpy or torch)."""
    x, y = p[0], p[1]
    stack = torch.stack if isinstance(p, torch.Tensor) else np.array
    return stack([x**2 * y, x + y**3])


def _linearisation_error(x: float, y: float, r: float, J: np.ndarray) -> float:
    """max over 97 points of the circle of |f(p + δ) − f(p) − J δ|, as the page computes it."""
    f0, f1 = (float(v) for v in jacobian_map(np.array([x, y])))
    worst = 0.0
    for i in range(97):
        t = (2 * math.pi * i) / 96
        c, s = r * math.cos(t), r * math.sin(t)
        g0, g1 = (float(v) for v in jacobian_map(np.array([x + c, y + s])))
        e0 = g0 - f0 - (J[0, 0] * c + J[0, 1] * s)
        e1 = g1 - f1 - (J[1, 0] * c + J[1, 1] * s)
        worst = max(worst, math.sqrt(e0 * e0 + e1 * e1))
    return worst


def jacobian_circle() -> list[Case]:
    """The Jacobian of (x²y, x + y³) by torch autograd, its determinant (both exact), and
    how far the true image of the circle strays from the Jacobian's ellipse."""
    cases = []
    for x, y, r in [(2.0, 3.0, 0.3), (1.0, 0.5, 0.05), (-1.5, -0.7, 0.5), (0.0, 1.2, 0.2)]:
        J = sb.autodiff.jacobian(jacobian_map, np.array([x, y]))
        f_size = float(np.abs(jacobian_map(np.array([x, y]))).sum()) + 1.0
        cases.append(
            {
                "set": {"x": x, "y": y, "r": r},
                "expect": {
                    "j00": float(J[0, 0]),
                    "j01": float(J[0, 1]),
                    "j10": float(J[1, 0]),
                    "j11": float(J[1, 1]),
                    "det": float(J[0, 0] * J[1, 1] - J[0, 1] * J[1, 0]),
                    "lin_err": _linearisation_error(x, y, r, J),
                },
                # cos and sin of the circle's angles (2 ulp between libms, times r) move δ, and
                # f(p + δ) − f(p) cancels: the difference is a few ulp of |f| (< 64 EPS |f|).
                "tol": {"lin_err": {"abs": 64 * EPS * f_size}},
                "why": "cos and sin from two libms; f(p + δ) − f(p) cancels",
            }
        )
    return cases


def hessian_eigen() -> list[Case]:
    """The verdict of slopebook.classify_critical_point for H = diag(λ1, λ2) (exact)."""
    cases = []
    for l1, l2 in [(1.0, 2.0), (1.5, -0.5), (-1.0, -0.3), (1.5, 0.0), (-2.0, 2.0)]:
        cases.append(
            {
                "set": {"l1": l1, "l2": l2},
                "expect": {
                    "verdict": sb.classify_critical_point(np.diag([l1, l2])),
                    "det": l1 * l2,
                    "trace": l1 + l2,
                },
            }
        )
    return cases


def _descent_bound(path: np.ndarray, lr: float, n: int) -> float:
    """A first-order bound on how far two float64 runs of the toy descent can drift apart.

    Each step x ← x − lr (0.9 cos 3x + x) rounds a few times (|error| <= 2 EPS (|x| +
    lr (0.9 + |x|)), with 2 ulp of cos between libms) and multiplies an existing difference
    by the map's slope |1 − lr L''(x)|, L'' = 1 − 2.7 sin 3x; doubled for second-order terms.
    """
    e = 0.0
    for x in path[:n]:
        slope = abs(1.0 - lr * (1.0 - 2.7 * math.sin(3.0 * x)))
        e = slope * e + 2 * EPS * (abs(x) + lr * (0.9 + abs(x))) + lr * 0.9 * EPS
    return 2 * e


def newton_minimum(x: float = -0.4) -> float:
    """The toy loss's minimum by Newton's method on L'(x) = 0.9 cos 3x + x (as the page)."""
    for _ in range(8):
        x = x - (0.9 * math.cos(3 * x) + x) / (1 - 2.7 * math.sin(3 * x))
    return x


def descent_verdict(path: np.ndarray) -> str:
    """How a run ended, from its last three points: the rule the page applies too."""
    x0, a, b, c = (float(v) for v in (path[0], path[-3], path[-2], path[-1]))
    step, before = c - b, b - a
    if abs(c) > 10 * abs(x0):
        return "runs away"
    if abs(step) <= 1e-9 * (1 + abs(c)):
        return "settles"
    if step * before > 0:
        return "still creeping downhill"
    if abs(step) < 0.9 * abs(before):
        return "zigzags in"
    return "bounces, never settles"


def landscape_lr() -> list[Case]:
    """Gradient descent on the toy loss from x = 2.5: x after n steps, the loss, the verdict."""
    x_star = newton_minimum()
    curvature = 1 - 2.7 * math.sin(3 * x_star)
    cases = []
    for lr, n in [(0.3, 40), (0.02, 40), (0.7, 40), (0.45, 40), (2.2, 6), (1.0, 12)]:
        path = sb.gradient_descent(toy_loss_derivative, 2.5, lr=lr, steps=40)
        bound = _descent_bound(path, lr, n)
        cases.append(
            {
                "set": {"lr": lr, "n": n},
                "expect": {
                    "x_n": float(path[n]),
                    "loss": float(toy_loss(path[n])),
                    "verdict": descent_verdict(path),
                    "x_star": x_star,
                    "curvature": curvature,
                    "limit": 2 / curvature,
                    "factor": abs(1 - lr * curvature),
                },
                "tol": {
                    "x_n": {"abs": bound},
                    # L' = 0.9 cos 3x + x is at most 3.7 + |x| in size: the drift in x moves
                    # the loss by that much more, plus 2 ulp of sin.
                    "loss": {"abs": (3.7 + abs(float(path[n]))) * bound + 4 * EPS, "rel": 4 * EPS},
                    # Newton's fixed point moves with L'(x*)'s evaluation (a few ulp of cos, over
                    # L''(x*) > 1); x* enters L'' through 2.7·3·cos, and 2/L'' and the factor
                    # through L''.
                    "x_star": {"abs": 8 * EPS},
                    "curvature": {"abs": 8.1 * 8 * EPS + 4 * EPS},
                    "limit": {"rel": 80 * EPS},
                    "factor": {"abs": 3 * (8.1 * 8 * EPS + 4 * EPS)},
                },
                "why": "cos and sin from two libms; the drift bound follows the run",
            }
        )
    return cases


def backprop_sweep() -> list[Case]:
    """f(x, y) = x·y + sin x: its value and gradient by torch autograd, after the full sweep."""

    def f(p: Any) -> Any:
        return p[0] * p[1] + torch.sin(p[0])

    cases = []
    for x, y in [(1.0, 2.0), (-0.7, 1.5), (2.0, -1.1)]:
        value = float(f(torch.tensor([x, y], dtype=torch.float64)))
        gx, gy = (float(v) for v in sb.autodiff.grad(f, np.array([x, y])))
        # sin x and cos x from two libms: each value within 2 ulp (<= EPS, |sin| <= 1); one
        # addition after it rounds once more relative to the sum.
        tol = {"f": {"abs": EPS, "rel": 2 * EPS}, "x_bar": {"abs": EPS, "rel": 2 * EPS}}
        cases.append(
            {
                "set": {"x": x, "y": y, "step": 7},
                "expect": {"a": x * y, "f": value, "x_bar": gx, "y_bar": gy},
                "tol": tol,
                "why": "sin and cos from two libms, each within 1 ulp",
            }
        )
        # Halfway through: the forward sweep is done, no adjoint yet.
        cases.append(
            {
                "set": {"x": x, "y": y, "step": 3},
                "expect": {"f": value, "x_bar": "", "y_bar": ""},
                "tol": {"f": tol["f"]},
            }
        )
    return cases
