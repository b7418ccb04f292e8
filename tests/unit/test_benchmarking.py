"""The benchmark's own machinery: interleaved timing and the table of targets."""

from __future__ import annotations

import pytest

from slopebook import benchmarking as bm


def test_samples_of_all_contenders_take_turns():
    order = []
    fns = {"a": lambda: order.append("a"), "b": lambda: order.append("b")}
    times = bm.best_times(fns, repeat=3, sample=0.0)  # one call per sample
    assert order == ["a", "b"] * 4  # one calibration call each, then three rounds
    assert set(times) == {"a", "b"}
    assert all(t >= 0 for t in times.values())


def test_a_sample_holds_many_calls_of_a_fast_function():
    calls = []
    bm.best_times({"fast": lambda: calls.append(1)}, repeat=2, sample=0.005)
    assert len(calls) > 10


def _rows(sb_seconds: float, nd_seconds: float):
    """Synthetic rows shaped like the real tables, with chosen times."""
    derivative = [
        {"library": "slopebook.derivative_estimate", "max rel. error": 5e-13,
         "evals/point": 10.0, "seconds": sb_seconds},
        {"library": "scipy.differentiate.derivative", "seconds": 10.5 * sb_seconds},
    ]  # fmt: skip
    coverage = [{"library": "slopebook", "error estimate covers the true error": 1.0}]
    gradient = [
        {"library": "slopebook.gradient", "error / max|g|": 1e-9, "seconds": sb_seconds},
        {"library": "slopebook.gradient (method='complex')", "error / max|g|": 1e-16,
         "seconds": sb_seconds / 2},
        {"library": "slopebook.gradient (vectorized)", "error / max|g|": 1e-9,
         "seconds": sb_seconds / 3},
        {"library": "numdifftools.Gradient", "seconds": nd_seconds},
        {"library": "f alone, 2001 calls", "seconds": sb_seconds * 0.9},
    ]  # fmt: skip
    hessian = [
        {"library": "slopebook.hessian", "error / max|H|": 1e-9, "seconds": sb_seconds},
        {"library": "slopebook.hessian (vectorized)", "error / max|H|": 2e-9,
         "seconds": sb_seconds},
        {"library": "numdifftools.Hessian", "seconds": nd_seconds},
    ]  # fmt: skip
    return derivative, coverage, gradient, hessian


@pytest.mark.parametrize(("nd_seconds", "verdict"), [(8.0, "NO"), (12.0, "yes")])
def test_targets_are_judged_from_the_measured_rows(nd_seconds, verdict):
    targets = {r["target"]: r for r in bm.target_rows(*_rows(1.0, nd_seconds))}
    vectorized = targets["gradient: time numdifftools / slopebook, vectorized f, central"]
    assert vectorized["measured"] == 3 * nd_seconds
    complex_step = targets["gradient: time numdifftools / slopebook, plain f, complex step"]
    assert complex_step["measured"] == 2 * nd_seconds
    assert complex_step["met"] == verdict
    assert targets["sin' at 400 points: time scipy / slopebook"]["met"] == "yes"
    assert targets["Hessian: error / max|H|"]["measured"] == 2e-9  # the worse of the two
    context = [r for r in targets.values() if r["target"].startswith("  ")]
    assert [r["met"] for r in context] == ["", ""]  # context, not targets
    assert context[0]["measured"] == nd_seconds  # the plain central gradient
    assert targets["cos'(0) = 0 succeeds without flags"]["met"] == "yes"
