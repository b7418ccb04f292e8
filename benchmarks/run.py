"""Every comparison, side by side in one process: ``nox -s bench``.

slopebook against scipy.differentiate, numdifftools and torch autograd: accuracy,
evaluations and time for one-variable derivatives at 400 points, the pitfalls where
finite differences go wrong, the coverage of each library's own error estimate, a
gradient at n = 1000 and a Hessian at n = 100 (Rosenbrock). Times are best-of-several
wall times; ratios are ``time(library) / time(slopebook)``, so larger means slopebook
is faster. Pass ``--quick`` for small sizes.
"""

from __future__ import annotations

import platform
import sys

# benchmarking.py, targets.py and backprop.py sit next to this script, so its folder
# (sys.path[0] when run as ``python benchmarks/run.py``) is where they are found.
import backprop as backprop_bench
import benchmarking as bm
import numpy as np
import scipy
import torch
from targets import target_rows

import slopebook


def main(quick: bool = False) -> None:
    n_grad, n_hess = (200, 20) if quick else (1000, 100)
    print(
        f"slopebook {slopebook.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"torch {torch.__version__}, Python {platform.python_version()}\n"
    )
    rows = {
        "derivative": bm.derivative_rows(400),
        "pitfalls": bm.pitfall_rows(),
        "coverage": bm.coverage_rows(),
        "gradient": bm.gradient_rows(n_grad),
        "hessian": bm.hessian_rows(n_hess),
    }
    titles = {
        "derivative": "sin'(x) at 400 points in [-pi, pi]",
        "pitfalls": "Where finite differences go wrong",
        "coverage": "Does the reported error cover the true error?",
        "gradient": f"Gradient of Rosenbrock, n = {n_grad}",
        "hessian": f"Hessian of Rosenbrock, n = {n_hess}",
    }
    for key, title in titles.items():
        print(f"## {title}\n")
        print(bm.format_table(rows[key]))
        print()
    targets = target_rows(rows["derivative"], rows["coverage"], rows["gradient"], rows["hessian"])
    note = " (quick sizes, not the full ones)" if quick else ""
    print(f"## Targets{note}\n")
    print(bm.format_table(targets))
    print(
        "\nIndented rows are context, not targets. A central-difference gradient of a plain f"
        "\ncalls f 2n + 1 times; numdifftools calls it 30n + 1 times, so when f itself is the"
        "\ncost no central difference can lead by more than the ceiling row. The complex step"
        "\n(n calls) and a vectorized f (blocks of points, one call each) go past it."
    )
    print()
    backprop_bench.main(quick)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
