"""Side-by-side comparisons of slopebook with scipy, numdifftools and torch autograd.

Used by ``nox -s bench`` (``benchmarks/run.py``, large sizes) and by the appendix of the
book (small sizes, computed at build time). scipy and numdifftools are imported only
here, lazily: they are benchmark and docs dependencies, never runtime ones.

Every function returns a list of rows (dicts); :func:`format_table` prints them. Times
are the best of several runs (the least disturbed by other work on the machine), and
every ratio is measured in the same process, side by side.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from slopebook import autodiff, landscapes
from slopebook.estimate import derivative_estimate
from slopebook.finite import derivative, gradient, hessian

__all__ = [
    "SMOOTH_FUNCTIONS",
    "best_time",
    "coverage_rows",
    "derivative_rows",
    "format_table",
    "gradient_rows",
    "hessian_rows",
    "pitfall_rows",
    "rosenbrock_columns",
]

SEED = 20

#: Smooth test functions: name -> (numpy f, exact f', torch f).
SMOOTH_FUNCTIONS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]] = {
    "sin": (np.sin, np.cos, torch.sin),
    "exp": (np.exp, np.exp, torch.exp),
    "tanh": (
        np.tanh,
        lambda x: 4 * np.exp(-2 * abs(x)) / (1 + np.exp(-2 * abs(x))) ** 2,
        torch.tanh,
    ),
    "1/(1+x²)": (
        lambda x: 1 / (1 + x**2),
        lambda x: -2 * x / (1 + x**2) ** 2,
        lambda x: 1 / (1 + x**2),
    ),
    "sin(x)·exp(-x²/4)": (
        lambda x: np.sin(x) * np.exp(-(x**2) / 4),
        lambda x: np.exp(-(x**2) / 4) * (np.cos(x) - x / 2 * np.sin(x)),
        lambda x: torch.sin(x) * torch.exp(-(x**2) / 4),
    ),
}


def rosenbrock_columns(P: Any) -> Any:
    """:func:`slopebook.landscapes.rosenbrock` of every column of an ``(n, k)`` array.

    Examples
    --------
    >>> P = np.ones((3, 2)); P[0, 1] = 0.0
    >>> rosenbrock_columns(P)
    array([  0., 101.])
    """
    return (100.0 * (P[1:] - P[:-1] ** 2) ** 2 + (1.0 - P[:-1]) ** 2).sum(axis=0)


def best_time(fn: Callable[[], Any], *, repeat: int = 5, budget: float = 2.0) -> float:
    """Best wall time of ``fn()`` over up to ``repeat`` runs (fewer if over ``budget`` s).

    Examples
    --------
    >>> print(best_time(lambda: sum(range(10)), repeat=3) < 0.1)
    True
    """
    best = np.inf
    start = time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return float(best)


class _Counter:
    """Wrap ``f`` and count the points it is evaluated at.

    ``elementwise``: every number is a point (a function of one variable).
    Otherwise ``f`` takes a vector, or an ``(n, k)`` array of ``k`` points as columns.
    """

    def __init__(self, f: Callable[..., Any], *, elementwise: bool = False) -> None:
        self.f, self.elementwise, self.points = f, elementwise, 0

    def __call__(self, x: Any) -> Any:
        shape = np.shape(x)
        if self.elementwise:
            self.points += max(1, int(np.prod(shape)))
        else:
            self.points += int(np.prod(shape[1:])) if len(shape) > 1 else 1
        return self.f(x)


def _imports() -> tuple[Any, Any]:
    try:
        import numdifftools as nd
        from scipy import differentiate
    except ImportError as err:  # pragma: no cover - depends on the environment
        msg = (
            "the comparisons need scipy and numdifftools: install the 'bench' dependency "
            "group (pip install --group bench) or run `nox -s bench`"
        )
        raise ImportError(msg) from err
    return differentiate, nd


def _row(library: str, **cols: Any) -> dict[str, Any]:
    return {"library": library, **cols}


def _ratios(rows: list[dict[str, Any]], reference: str = "slopebook") -> list[dict[str, Any]]:
    ref = next(r["seconds"] for r in rows if r["library"].startswith(reference))
    for r in rows:
        r["time / slopebook"] = r["seconds"] / ref
    return rows


def derivative_rows(n_points: int = 400, *, repeat: int = 7) -> list[dict[str, Any]]:
    """``sin'`` at ``n_points`` points in ``[-π, π]``: error, evaluations and time.

    slopebook.derivative_estimate against scipy.differentiate.derivative and
    numdifftools.Derivative with their defaults, and torch autograd (exact rule, no
    differences).
    """
    differentiate, nd = _imports()
    x = np.linspace(-np.pi, np.pi, n_points)
    exact = np.cos(x)
    tx = torch.tensor(x)

    def rel(v: Any) -> float:
        return float(np.max(np.abs(np.asarray(v) - exact) / np.maximum(np.abs(exact), 1e-300)))

    rows = []
    c = _Counter(np.sin, elementwise=True)
    r = derivative_estimate(c, x)
    t = best_time(lambda: derivative_estimate(np.sin, x), repeat=repeat)
    rows.append(
        _row(
            "slopebook.derivative_estimate",
            **{"max rel. error": rel(r.value), "evals/point": c.points / n_points, "seconds": t},
        )
    )
    c = _Counter(np.sin, elementwise=True)
    s = differentiate.derivative(c, x)
    t = best_time(lambda: differentiate.derivative(np.sin, x), repeat=repeat)
    rows.append(
        _row(
            "scipy.differentiate.derivative",
            **{"max rel. error": rel(s.df), "evals/point": c.points / n_points, "seconds": t},
        )
    )
    c = _Counter(np.sin, elementwise=True)
    v = nd.Derivative(c)(x)
    t = best_time(lambda: nd.Derivative(np.sin)(x), repeat=repeat)
    rows.append(
        _row(
            "numdifftools.Derivative",
            **{"max rel. error": rel(v), "evals/point": c.points / n_points, "seconds": t},
        )
    )
    v = autodiff.derivative(torch.sin, x)
    t = best_time(lambda: autodiff.derivative(torch.sin, tx), repeat=repeat)
    rows.append(
        _row("torch autograd", **{"max rel. error": rel(v), "evals/point": 1.0, "seconds": t})
    )
    return _ratios(rows)


def _caught(fn: Callable[[], Any]) -> tuple[Any, str]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = fn()
    names = sorted({x.category.__name__ for x in w})
    return out, ", ".join(names) or "none"


def pitfall_rows() -> list[dict[str, Any]]:
    """What each library answers where finite differences go wrong, and whether it says so.

    ``relu'(0)`` (no derivative: one-sided slopes 0 and 1), ``sin'(1e20)`` (true
    ``cos(1e20)``), ``(x³)'`` at ``1e9`` (true ``3e18``) and the complex step through
    ``abs`` at ``-2`` (true ``-1``).
    """
    differentiate, nd = _imports()

    def relu(x: Any) -> Any:
        return np.maximum(x, 0)

    cases = [
        ("relu'(0)", relu, 0.0, float("nan")),
        ("sin'(1e20)", np.sin, 1e20, float(np.cos(1e20))),
        ("(x³)' at 1e9", lambda x: x**3, 1e9, 3e18),
    ]
    rows = []
    for name, f, x, truth in cases:
        est, w = _caught(lambda f=f, x=x: derivative_estimate(f, x))
        s = differentiate.derivative(f, x)
        n = nd.Derivative(f, full_output=True)(x)
        rows.append(
            {
                "case": name,
                "truth": truth,
                "slopebook": est.value,
                "slopebook says": f"success={est.success}; {w}",
                "scipy": float(s.df),
                "scipy says": f"success={bool(s.success)}, error={float(s.error):.1e}",
                "numdifftools": float(np.asarray(n.estimate)),
                "numdifftools says": f"error={float(np.asarray(n.error_estimate)):.1e}",
            }
        )
    value, w = _caught(lambda: derivative(np.abs, -2.0, method="complex"))
    n = nd.Derivative(np.abs, method="complex", full_output=True)(-2.0)
    rows.append(
        {
            "case": "complex step, abs'(-2)",
            "truth": -1.0,
            "slopebook": value,
            "slopebook says": w,
            "scipy": float("nan"),
            "scipy says": "no complex step",
            "numdifftools": float(np.asarray(n.estimate)),
            "numdifftools says": f"error={float(np.asarray(n.error_estimate)):.1e}",
        }
    )
    return rows


def coverage_rows(n_points: int = 201) -> list[dict[str, Any]]:
    """How often each library's own error estimate covers its true error.

    Over :data:`SMOOTH_FUNCTIONS` at ``n_points`` points in ``[-π, π]`` plus ``±10``.
    """
    differentiate, nd = _imports()
    x = np.concatenate([np.linspace(-np.pi, np.pi, n_points), [10.0, -10.0]])
    hits = {"slopebook": 0, "scipy": 0, "numdifftools": 0}
    worst = dict.fromkeys(hits, 0.0)
    total = 0
    for f, df, _ in SMOOTH_FUNCTIONS.values():
        exact = df(x)
        # Relative to the size of the slope, |f'|, or |f| per unit x where f' vanishes.
        scale = np.maximum(np.abs(exact), np.abs(f(x)) / np.maximum(1.0, np.abs(x))) + 1e-15
        total += x.size
        r = derivative_estimate(f, x)
        s = differentiate.derivative(f, x)
        n = nd.Derivative(f, full_output=True)(x)
        for lib, value, error in (
            ("slopebook", r.value, r.error),
            ("scipy", s.df, s.error),
            ("numdifftools", n.estimate, n.error_estimate),
        ):
            err = np.abs(np.asarray(value) - exact)
            hits[lib] += int(np.sum(err <= np.asarray(error)))
            worst[lib] = max(worst[lib], float(np.max(err / scale)))
    return [
        {
            "library": lib,
            "error estimate covers the true error": hits[lib] / total,
            "max error / slope scale": worst[lib],
            "points": total,
        }
        for lib in hits
    ]


def gradient_rows(n: int = 1000, *, repeat: int = 5) -> list[dict[str, Any]]:
    """Gradient of the ``n``-dimensional Rosenbrock function at a random point."""
    differentiate, nd = _imports()
    x = np.random.default_rng(SEED).uniform(-1.5, 1.5, n)
    exact = landscapes.rosenbrock_gradient(x)
    scale = float(np.max(np.abs(exact)))
    f = landscapes.rosenbrock

    def err(g: Any) -> float:
        return float(np.max(np.abs(np.asarray(g) - exact))) / scale

    rows = []
    for label, fn, counted in (
        ("slopebook.gradient", lambda g: gradient(g, x), f),
        (
            "slopebook.gradient (vectorized)",
            lambda g: gradient(g, x, vectorized=True),
            rosenbrock_columns,
        ),
        ("numdifftools.Gradient", lambda g: nd.Gradient(g)(x), f),
        (
            "scipy.differentiate.jacobian",
            lambda g: differentiate.jacobian(g, x).df,
            rosenbrock_columns,
        ),
    ):
        c = _Counter(counted)
        value = fn(c)
        t = best_time(lambda fn=fn, counted=counted: fn(counted), repeat=repeat)
        rows.append(
            _row(label, **{"error / max|g|": err(value), "evaluations": c.points, "seconds": t})
        )
    t = best_time(lambda: autodiff.grad(f, x), repeat=repeat)
    rows.append(
        _row(
            "torch autograd",
            **{"error / max|g|": err(autodiff.grad(f, x)), "evaluations": 1, "seconds": t},
        )
    )
    return _ratios(rows)


def hessian_rows(n: int = 100, *, repeat: int = 3) -> list[dict[str, Any]]:
    """Hessian of the ``n``-dimensional Rosenbrock function at a random point."""
    differentiate, nd = _imports()
    x = np.random.default_rng(SEED + 1).uniform(-1.5, 1.5, n)
    exact = autodiff.hessian(landscapes.rosenbrock, x)
    scale = float(np.max(np.abs(exact)))
    f = landscapes.rosenbrock

    def err(H: Any) -> float:
        return float(np.max(np.abs(np.asarray(H) - exact))) / scale

    rows = []
    for label, fn, counted in (
        ("slopebook.hessian", lambda g: hessian(g, x), f),
        (
            "slopebook.hessian (vectorized)",
            lambda g: hessian(g, x, vectorized=True),
            rosenbrock_columns,
        ),
        ("numdifftools.Hessian", lambda g: nd.Hessian(g)(x), f),
        (
            "scipy.differentiate.hessian",
            lambda g: differentiate.hessian(g, x).ddf,
            rosenbrock_columns,
        ),
    ):
        c = _Counter(counted)
        value = fn(c)
        t = best_time(lambda fn=fn, counted=counted: fn(counted), repeat=repeat)
        row = _row(label, **{"error / max|H|": err(value), "evaluations": c.points, "seconds": t})
        rows.append(row)
    s = differentiate.hessian(rosenbrock_columns, x)
    rows[-1]["library"] += f" ({int(np.sum(~s.success))} entries 'failed')"
    t = best_time(lambda: autodiff.hessian(f, x), repeat=repeat)
    rows.append(
        _row(
            "torch autograd",
            **{"error / max|H|": err(autodiff.hessian(f, x)), "evaluations": 1, "seconds": t},
        )
    )
    return _ratios(rows)


def _cell(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if np.isnan(v):
            return "nan"
        if v == 0 or 1e-3 <= abs(v) < 1e5:
            return f"{v:.4g}"
        return f"{v:.3e}"
    return str(v)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as an aligned plain-text table (one header line, one line per row).

    Examples
    --------
    >>> print(format_table([{"a": 1, "b": 0.5}, {"a": 10, "b": 2e-12}]))
    a   b
    --  ---------
    1   0.5
    10  2.000e-12
    """
    keys = list(rows[0])
    cells = [[_cell(r.get(k, "")) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    ]
    return "\n".join(lines)
