"""What one backward pass of slopebook.backprop costs: ``python benchmarks/backprop.py``.

1. The cheap-gradient check: a graph of 10⁵ nodes (shared inputs, every node used), timed
   forward (computing the values while recording the graph) and backward (every adjoint),
   as medians of several runs of CPU time (so that other programs on the machine do not
   count). The target is backward ≤ 4 × forward. Timed as ``timeit`` times, with Python's
   cyclic garbage collector paused; then again with it running,
   because a graph of 10⁵ live objects makes its collections expensive. For context, also
   the time of the same function on plain floats (no recording), so that the price of
   recording is visible too.
2. Forward mode (``Dual``, one pass per input) against reverse mode (``Var``, one forward
   and one backward pass per output) for a whole Jacobian of ``f : Rⁿ → Rᵐ``, for a wide,
   a square and a tall ``f``.

Pass ``--quick`` for fewer repeats (the sizes stay the same).
"""

from __future__ import annotations

import gc
import math
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from slopebook.backprop import Var, jacobian

N_NODES = 100_000
N_INPUTS = 100


def graph_function(x: list[Any], n_steps: int) -> Any:
    """Three nodes per step (``*``, ``tanh``, ``+``), each step reusing two inputs."""
    y = x[0]
    k = len(x)
    for i in range(n_steps):
        y = (y * x[i % k]).tanh() + x[(7 * i + 3) % k]
    return y


class _Float:
    """The same operations on plain floats, for the no-recording baseline."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def __mul__(self, other: _Float) -> _Float:
        return _Float(self.value * other.value)

    def __add__(self, other: _Float) -> _Float:
        return _Float(self.value + other.value)

    def tanh(self) -> _Float:
        return _Float(math.tanh(self.value))


def _median_time(run: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = time.process_time()
            run()
            times.append(time.process_time() - t0)
        finally:
            gc.enable()
    return statistics.median(times)


def cheap_gradient(repeats: int = 7, *, pause_gc: bool = True) -> dict[str, float]:
    """Median forward, backward and plain-float times (s) for a 10⁵-node graph."""
    rng = np.random.default_rng(0)
    point = rng.uniform(-1.0, 1.0, N_INPUTS).tolist()
    n_steps = (N_NODES - N_INPUTS) // 3
    forward, backward = [], []
    for _ in range(repeats):
        inputs = [Var(v) for v in point]
        gc.collect()
        if pause_gc:
            gc.disable()
        try:
            t0 = time.process_time()
            out = graph_function(inputs, n_steps)
            t1 = time.process_time()
            out.backward()
            t2 = time.process_time()
        finally:
            gc.enable()
        forward.append(t1 - t0)
        backward.append(t2 - t1)
        del out, inputs
    plain = _median_time(lambda: graph_function([_Float(v) for v in point], n_steps), repeats)
    nodes = N_INPUTS + 3 * n_steps
    f, b = statistics.median(forward), statistics.median(backward)
    return {"nodes": nodes, "forward": f, "backward": b, "ratio": b / f, "plain": plain}


def mlp_outputs(x: list[Any], m: int, hidden: int = 16) -> list[Any]:
    """``f : Rⁿ → Rᵐ``: a shared tanh layer of ``hidden`` units, then ``m`` linear outputs
    (seeded weights, the same for Var and Dual)."""
    n = len(x)
    rng = np.random.default_rng(1)
    W = rng.standard_normal((hidden, n)) / math.sqrt(n)
    V = rng.standard_normal((m, hidden)) / math.sqrt(hidden)
    h = []
    for i in range(hidden):
        z = x[0] * float(W[i, 0])
        for j in range(1, n):
            z = z + x[j] * float(W[i, j])
        h.append(z.tanh())
    outs = []
    for k in range(m):
        y = h[0] * float(V[k, 0])
        for i in range(1, hidden):
            y = y + h[i] * float(V[k, i])
        outs.append(y)
    return outs


def modes(shapes: tuple[tuple[int, int], ...], repeats: int = 5) -> list[dict[str, float]]:
    """Median times (s) of a whole Jacobian by forward and by reverse mode."""
    rows = []
    for n, m in shapes:
        point = np.random.default_rng(2).uniform(-1.0, 1.0, n).tolist()

        def f(x: list[Any], m: int = m) -> list[Any]:
            return mlp_outputs(x, m)

        J_fwd = jacobian(f, point, mode="forward")
        J_rev = jacobian(f, point, mode="reverse")
        if not np.allclose(J_fwd, J_rev, rtol=1e-12, atol=1e-14):
            msg = f"forward and reverse Jacobians differ for n={n}, m={m}"
            raise AssertionError(msg)
        t_fwd = _median_time(lambda f=f, p=point: jacobian(f, p, mode="forward"), repeats)
        t_rev = _median_time(lambda f=f, p=point: jacobian(f, p, mode="reverse"), repeats)
        rows.append({"n": n, "m": m, "forward": t_fwd, "reverse": t_rev})
    return rows


def main(quick: bool = False) -> None:
    repeats = 3 if quick else 7
    c = cheap_gradient(repeats)
    print(f"## Cheap gradient: one graph of {c['nodes']:,} nodes, medians of {repeats} runs\n")
    print(f"forward (values + recording)  {1e3 * c['forward']:9.1f} ms")
    print(f"backward (every adjoint)      {1e3 * c['backward']:9.1f} ms")
    print(f"backward / forward            {c['ratio']:9.2f}    (target ≤ 4)")
    print(f"same function on plain floats {1e3 * c['plain']:9.1f} ms")
    total = (c["forward"] + c["backward"]) / c["plain"]
    print(f"(forward + backward) / plain  {total:9.2f}")
    g = cheap_gradient(repeats, pause_gc=False)
    print(
        f"with the garbage collector running: forward {1e3 * g['forward']:.1f} ms, "
        f"backward {1e3 * g['backward']:.1f} ms, ratio {g['ratio']:.2f}\n"
    )
    shapes = ((200, 1), (20, 20), (1, 200))
    print(f"## A whole Jacobian of f : Rⁿ → Rᵐ, medians of {max(repeats - 2, 3)} runs\n")
    print(f"{'n':>5} {'m':>5} {'forward (n JVPs)':>18} {'reverse (m VJPs)':>18} {'fwd / rev':>10}")
    for r in modes(shapes, max(repeats - 2, 3)):
        print(
            f"{r['n']:5d} {r['m']:5d} {1e3 * r['forward']:15.1f} ms {1e3 * r['reverse']:15.1f} ms"
            f" {r['forward'] / r['reverse']:10.2f}"
        )
    if c["ratio"] > 4.0:
        print("\nbackward / forward is above the target of 4", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
