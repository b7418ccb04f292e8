"""Side-by-side comparisons of slopebook with scipy, numdifftools and torch autograd.

Used by ``nox -s bench`` (``benchmarks/run.py``, large sizes) and by the accuracy appendix
of the book (small sizes, computed at build time). It lives outside the package: scipy and
numdifftools are benchmark and docs dependencies, never runtime ones, and are imported
lazily, by the functions that compare with them. The targets the comparisons are judged
by are in ``benchmarks/targets.py``.

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
from slopebook.counting import CallCounter
from slopebook.estimate import derivative_estimate
from slopebook.finite import derivative, gradient, hessian
from slopebook.landscapes import rosenbrock_columns

__all__ = [
    "SMOOTH_FUNCTIONS",
    "best_time",
    "best_times",
    "coverage_rows",
    "derivative_rows",
    "format_table",
    "gradient_rows",
    "hessian_rows",
    "pitfall_rows",
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


def best_time(
    fn: Callable[[], Any], *, repeat: int = 5, budget: float = 2.0, sample: float = 0.02
) -> float:
    """Best time per call of ``fn()`` over up to ``repeat`` samples (fewer if over ``budget`` s).

    A sample runs ``fn`` as many times as fit in about ``sample`` seconds (at least once),
    so that a call of 70 us is not timed alone against the clock's and the cache's noise.

    Examples
    --------
    >>> print(best_time(lambda: sum(range(10)), repeat=3) < 0.1)
    True
    """
    return best_times({"fn": fn}, repeat=repeat, budget=budget, sample=sample)["fn"]


def best_times(
    fns: dict[str, Callable[[], Any]],
    *,
    repeat: int = 5,
    budget: float = 2.0,
    sample: float = 0.02,
) -> dict[str, float]:
    """:func:`best_time` for several functions, interleaved: one sample of each in turn.

    A machine that slows down for a while (another job, a noisy neighbour) then slows every
    contender alike instead of whichever happened to be running; each keeps its best
    sample. ``budget`` is per function.

    Examples
    --------
    >>> t = best_times({"fast": lambda: None, "slow": lambda: sum(range(10_000))})
    >>> print(t["fast"] < t["slow"])
    True
    """
    number = {}
    for name, fn in fns.items():  # calibrate: how many calls make one sample
        t = time.perf_counter()
        fn()
        once = time.perf_counter() - t
        number[name] = max(1, int(sample / max(once, 1e-9)))
    best = dict.fromkeys(fns, np.inf)
    spent = dict.fromkeys(fns, 0.0)
    for _ in range(repeat):
        for name, fn in fns.items():
            if spent[name] > budget:
                continue
            t = time.perf_counter()
            for _ in range(number[name]):
                fn()
            elapsed = time.perf_counter() - t
            spent[name] += elapsed
            best[name] = min(best[name], elapsed / number[name])
    return {name: float(t) for name, t in best.items()}


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


def derivative_rows(n_points: int = 400, *, repeat: int = 15) -> list[dict[str, Any]]:
    """``sin'`` at ``n_points`` points in ``[-π, π]``: error, evaluations and time.

    slopebook.derivative_estimate against scipy.differentiate.derivative and
    numdifftools.Derivative with their defaults, and torch autograd (exact rule, no
    differences). The times are interleaved (:func:`best_times`).
    """
    differentiate, nd = _imports()
    x = np.linspace(-np.pi, np.pi, n_points)
    exact = np.cos(x)
    tx = torch.tensor(x)

    def rel(v: Any) -> float:
        return float(np.max(np.abs(np.asarray(v) - exact) / np.maximum(np.abs(exact), 1e-300)))

    contenders = {
        "slopebook.derivative_estimate": lambda f: derivative_estimate(f, x).value,
        "scipy.differentiate.derivative": lambda f: differentiate.derivative(f, x).df,
        "numdifftools.Derivative": lambda f: nd.Derivative(f)(x),
    }
    rows = []
    for name, run in contenders.items():
        c = CallCounter(np.sin, elementwise=True)
        value = run(c)
        rows.append(
            _row(name, **{"max rel. error": rel(value), "evals/point": c.points / n_points})
        )
    rows.append(
        _row(
            "torch autograd",
            **{"max rel. error": rel(autodiff.derivative(torch.sin, x)), "evals/point": 1.0},
        )
    )
    timers = {name: (lambda run=run: run(np.sin)) for name, run in contenders.items()}
    timers["torch autograd"] = lambda: autodiff.derivative(torch.sin, tx)
    times = best_times(timers, repeat=repeat, budget=3.0)
    for r in rows:
        r["seconds"] = times[r["library"]]
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


def _side_by_side(
    contenders: Sequence[tuple[str, Callable[[Any], Any], Callable[..., Any]]],
    exact_error: Callable[[Any], float],
    error_name: str,
    torch_fn: Callable[[], Any],
    repeat: int,
    floor: tuple[str, int, Callable[[], Any]] | None = None,
) -> list[dict[str, Any]]:
    """Error and evaluations of each ``(label, run, f)`` (``run(f)`` gives the answer),
    then their times, interleaved, with torch autograd last. ``floor`` is
    ``(label, evaluations, fn)``: a row timed alongside that computes no derivative."""
    rows = []
    for label, run, f in contenders:
        c = CallCounter(f)
        rows.append(_row(label, **{error_name: exact_error(run(c)), "evaluations": c.points}))
    rows.append(_row("torch autograd", **{error_name: exact_error(torch_fn()), "evaluations": 1}))
    timers = {label: (lambda run=run, f=f: run(f)) for label, run, f in contenders}
    timers["torch autograd"] = torch_fn
    if floor is not None:
        label, evaluations, fn = floor
        rows.append(_row(label, **{error_name: "n/a", "evaluations": evaluations}))
        timers[label] = fn
    times = best_times(timers, repeat=repeat, budget=4.0)
    for r in rows:
        r["seconds"] = times[r["library"]]
    return _ratios(rows)


def gradient_rows(n: int = 1000, *, repeat: int = 5) -> list[dict[str, Any]]:
    """Gradient of the ``n``-dimensional Rosenbrock function at a random point.

    slopebook is timed three ways: central differences (the default) and the complex step
    with the plain ``f(x)`` that numdifftools gets too, and central differences with the same
    function written for a block of points (``vectorized=True``; ``numdifftools.Gradient``
    has no such mode, scipy's ``jacobian`` needs it and gets it). The last row times the
    ``2n + 1`` calls of the plain ``f`` that slopebook's central-difference gradient makes,
    and nothing else.
    """
    differentiate, nd = _imports()
    x = np.random.default_rng(SEED).uniform(-1.5, 1.5, n)
    exact = landscapes.rosenbrock_gradient(x)
    scale = float(np.max(np.abs(exact)))
    f = landscapes.rosenbrock

    def err(g: Any) -> float:
        return float(np.max(np.abs(np.asarray(g) - exact))) / scale

    return _side_by_side(
        [
            ("slopebook.gradient", lambda g: gradient(g, x), f),
            (
                "slopebook.gradient (method='complex')",
                lambda g: gradient(g, x, method="complex"),
                f,
            ),
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
        ],
        err,
        "error / max|g|",
        lambda: autodiff.grad(f, x),
        repeat,
        floor=(
            f"f alone, {2 * n + 1} calls (slopebook's central gradient makes as many)",
            2 * n + 1,
            lambda: [f(x) for _ in range(2 * n + 1)],
        ),
    )


def hessian_rows(n: int = 100, *, repeat: int = 3) -> list[dict[str, Any]]:
    """Hessian of the ``n``-dimensional Rosenbrock function at a random point."""
    differentiate, nd = _imports()
    x = np.random.default_rng(SEED + 1).uniform(-1.5, 1.5, n)
    exact = autodiff.hessian(landscapes.rosenbrock, x)
    scale = float(np.max(np.abs(exact)))
    f = landscapes.rosenbrock

    def err(H: Any) -> float:
        return float(np.max(np.abs(np.asarray(H) - exact))) / scale

    rows = _side_by_side(
        [
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
        ],
        err,
        "error / max|H|",
        lambda: autodiff.hessian(f, x),
        repeat,
    )
    s = differentiate.hessian(rosenbrock_columns, x)
    failed = int(np.sum(~s.success))
    for r in rows:
        if r["library"] == "scipy.differentiate.hessian":
            r["library"] += f" ({failed} entries 'failed')"
    return rows


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
