"""The benchmark's own machinery: interleaved timing and the table of targets.

The benchmarks live in benchmarks/, outside the package (they compare with scipy and
numdifftools, which slopebook never imports); they are loaded here by their paths, as
--import-mode=importlib puts nothing on sys.path.
"""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"slopebook_benchmarks_{name}", BENCHMARKS / f"{name}.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError(BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bm = _load("benchmarking")
tg = _load("targets")


@pytest.mark.parametrize("module", [bm, tg], ids=["benchmarking", "targets"])
def test_the_examples_in_the_docstrings_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


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
    targets = {r["target"]: r for r in tg.target_rows(*_rows(1.0, nd_seconds))}
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
