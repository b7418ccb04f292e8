"""The targets slopebook's numerics are held to, judged from one run of the comparisons.

``benchmarks/run.py`` prints :func:`target_rows` after the comparison tables of
``benchmarks/benchmarking.py``; tests/unit/test_benchmarking.py checks the judging.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from slopebook.estimate import derivative_estimate

__all__ = ["target_rows"]


def _seconds(rows: Sequence[dict[str, Any]], library: str) -> float:
    return next(float(r["seconds"]) for r in rows if r["library"].startswith(library))


def _value(rows: Sequence[dict[str, Any]], library: str, column: str) -> float:
    return next(float(r[column]) for r in rows if r["library"] == library)


def target_rows(
    derivative: Sequence[dict[str, Any]],
    coverage: Sequence[dict[str, Any]],
    gradient: Sequence[dict[str, Any]],
    hessian: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each measurable target: what was measured, what is required, and whether it is met.

    Takes the rows of ``derivative_rows``, ``coverage_rows``, ``gradient_rows`` and
    ``hessian_rows`` (benchmarking.py) from the same run. Rows whose name is indented are context
    (``required`` and ``met`` empty): the plain central gradient's lead over numdifftools,
    and its ceiling, the lead of ``2n + 1`` bare calls of ``f``.
    """
    zero = derivative_estimate(np.cos, 0.0)
    sb, vec = "slopebook.gradient", "slopebook.gradient (vectorized)"
    hsb, hvec = "slopebook.hessian", "slopebook.hessian (vectorized)"
    cx = "slopebook.gradient (method='complex')"
    nd_grad = _seconds(gradient, "numdifftools.Gradient")
    measured = [
        (
            "sin' at 400 points: max rel. error",
            _value(derivative, "slopebook.derivative_estimate", "max rel. error"),
            "<=",
            1e-12,
        ),
        (
            "sin' at 400 points: evaluations per point",
            _value(derivative, "slopebook.derivative_estimate", "evals/point"),
            "<=",
            12,
        ),
        (
            "reported error covers the true error (fraction)",
            next(
                float(r["error estimate covers the true error"])
                for r in coverage
                if r["library"] == "slopebook"
            ),
            ">=",
            0.99,
        ),
        (
            "cos'(0) = 0 succeeds without flags",
            float(zero.success and abs(zero.value) <= zero.error),
            ">=",
            1,
        ),
        (
            "sin' at 400 points: time scipy / slopebook",
            _seconds(derivative, "scipy.differentiate.derivative")
            / _seconds(derivative, "slopebook.derivative_estimate"),
            ">=",
            10,
        ),
        (
            "gradient: error / max|g|, central, plain and vectorized f",
            max(_value(gradient, sb, "error / max|g|"), _value(gradient, vec, "error / max|g|")),
            "<=",
            1e-8,
        ),
        (
            "gradient: time numdifftools / slopebook, vectorized f, central",
            nd_grad / _value(gradient, vec, "seconds"),
            ">=",
            20,
        ),
        (
            "gradient: error / max|g|, plain f, complex step",
            _value(gradient, cx, "error / max|g|"),
            "<=",
            1e-8,
        ),
        (
            "gradient: time numdifftools / slopebook, plain f, complex step",
            nd_grad / _value(gradient, cx, "seconds"),
            ">=",
            20,
        ),
        (
            "  context: time numdifftools / slopebook, plain f, central (the default)",
            nd_grad / _value(gradient, sb, "seconds"),
            "",
            None,
        ),
        (
            "  its ceiling: time numdifftools / (2n + 1 calls of f alone)",
            nd_grad / _seconds(gradient, "f alone"),
            "",
            None,
        ),
        (
            "Hessian: error / max|H|",
            max(_value(hessian, hsb, "error / max|H|"), _value(hessian, hvec, "error / max|H|")),
            "<=",
            1e-7,
        ),
        (
            "Hessian: time numdifftools / slopebook, plain f",
            _seconds(hessian, "numdifftools.Hessian") / _value(hessian, hsb, "seconds"),
            ">=",
            10,
        ),
        (
            "Hessian: time numdifftools / slopebook, vectorized f",
            _seconds(hessian, "numdifftools.Hessian") / _value(hessian, hvec, "seconds"),
            ">=",
            10,
        ),
    ]
    rows = []
    for name, value, op, bound in measured:
        if bound is None:  # context for the row above, not a target
            rows.append({"target": name, "measured": value, "required": "", "met": ""})
            continue
        met = value <= bound if op == "<=" else value >= bound
        rows.append(
            {
                "target": name,
                "measured": value,
                "required": f"{op} {bound:g}",
                "met": "yes" if met else "NO",
            }
        )
    return rows
