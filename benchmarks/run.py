"""Every comparison of issue 6, side by side in one process: ``nox -s bench``.

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

import numpy as np
import scipy
import torch

import slopebook
from slopebook import benchmarking as bm


def main(quick: bool = False) -> None:
    n_grad, n_hess = (200, 20) if quick else (1000, 100)
    print(
        f"slopebook {slopebook.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"torch {torch.__version__}, Python {platform.python_version()}\n"
    )
    sections = [
        ("sin'(x) at 400 points in [-pi, pi]", lambda: bm.derivative_rows(400)),
        ("Where finite differences go wrong", bm.pitfall_rows),
        ("Does the reported error cover the true error?", bm.coverage_rows),
        (f"Gradient of Rosenbrock, n = {n_grad}", lambda: bm.gradient_rows(n_grad)),
        (f"Hessian of Rosenbrock, n = {n_hess}", lambda: bm.hessian_rows(n_hess)),
    ]
    for title, rows in sections:
        print(f"## {title}\n")
        print(bm.format_table(rows()))
        print()


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
