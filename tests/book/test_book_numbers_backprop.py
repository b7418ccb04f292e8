"""The numbers of the backpropagation chapter, read back from the built book.

The worked example x²y + 3y at (2, 5) has value 35 and partial derivatives 20 (2xy) and
7 (x² + 3, the sum of two paths: 4 + 3). The matrix-form gradients of the small network
agree with PyTorch's, the reverse sweep costs a small constant times the forward sweep,
and each mode wins where it has fewer passes. The sweep explorable checks the worked example
at (2, 5) among its positions. Skips when the book is not built.
"""

from __future__ import annotations

import html
import json
import re

import pytest


def _page_text(raw: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw)))


@pytest.fixture
def backprop(chapter):
    c = chapter("backprop")
    return c.glued, _page_text(c.html), c.html


def test_worked_example(backprop):
    glued, page, _ = backprop
    x, y = 2.0, 5.0
    assert glued["bp_f"] == x**2 * y + 3 * y == 35.0
    assert glued["bp_dfdx"] == 2 * x * y == 20.0
    assert glued["bp_dfdy"] == x**2 + 3 == 7.0
    # Two paths from y: through v2 = x²·y (contributes x² = 4) and v3 = 3y (contributes 3).
    assert (glued["bp_path_v2"], glued["bp_path_v3"]) == (4.0, 3.0)
    assert glued["bp_xbar_terms"] == "5 · 4 = 20"
    # Forward mode gives the same partials, one seeded pass each; (1, 1) gives their sum.
    assert (glued["bp_dual_dx"], glued["bp_dual_dy"], glued["bp_dual_diag"]) == (20.0, 7.0, 27.0)
    assert "1 · 4 + 1 · 3" in page  # the reverse trace's row for y, a sum of two paths
    for shown in ("f = 35.0 ∂f/∂x = 20.0 ∂f/∂y = 7.0", "seed x: Dual(35.0, 20.0)"):
        assert shown in page, f"{shown!r} missing from the built page"


def test_paths_and_deep_graph(backprop):
    glued, _, _ = backprop
    assert glued["bp_paths"] == f"{2**30:,}"
    assert glued["bp_path_nodes"] == 3 * 30 + 1
    assert glued["bp_deep_err"] < 1e-12


def test_trace_tables_and_figures_are_on_the_page(backprop):
    _, page, raw = backprop
    assert raw.count('<table class="sb-trace">') >= 3  # forward, reverse, forward with tangents
    assert 'alt="A computational graph drawn as boxes and arrows' in raw
    assert "In short" in page
    assert "Griewank" in page


def test_sweep_explorable_before_in_short(backprop):
    _, page, raw = backprop
    assert page.index("Explore: the two sweeps") < page.index("In short")
    (root,) = re.findall(r'<div [^>]*data-explorable="backprop-sweep"[^>]*>', raw)
    assert 'alt="The computational graph of f(x, y) = x²y + 3y at (2, 5) after both sweeps' in raw
    # The checked positions include the worked example, with both sweeps done: f = 35,
    # ∂f/∂x = 20, ∂f/∂y = 7 = 4 + 3.
    checks = json.loads(html.unescape(re.search(r'data-checks="([^"]*)"', root).group(1)))
    done = [c["expect"] for c in checks if c["set"] == {"x": 2.0, "y": 5.0, "step": 10}]
    assert done == [
        {"v1": 4.0, "v2": 20.0, "v3": 15.0, "f": 35.0, "f_bar": 1.0, "v3_bar": 1.0,
         "v2_bar": 1.0, "y_bar": 7.0, "v1_bar": 5.0, "x_bar": 20.0}
    ]  # fmt: skip


def test_modes_and_cheap_gradient(backprop):
    glued, _, _ = backprop
    # Reverse mode wins on the wide map, forward mode on the tall one.
    assert glued["bp_wide_speedup"] > 1.0
    assert glued["bp_tall_speedup"] > 1.0
    # One backward pass: a small constant times the forward pass, flat in n.
    assert 0.0 < glued["bp_cheap_min"] <= glued["bp_cheap_max"] <= 4.0
    assert glued["bp_big_nodes"] == "100,000"
    assert 0.0 < glued["bp_big_ratio"] <= 4.0
    # Forward mode's gradient costs about n evaluations: it grows with n.
    assert glued["bp_fm_large"] > glued["bp_fm_small"] > 1.0
    n_small, n_large = glued["bp_fm_n_small"], glued["bp_fm_n_large"]
    assert glued["bp_fm_large"] / glued["bp_fm_small"] > 0.3 * n_large / n_small


def test_matrix_chain_rule_matches_torch(backprop):
    glued, page, _ = backprop
    assert glued["bp_pmy_err"] < 1e-15
    assert glued["bp_dW_err"] < 1e-14
    assert glued["bp_loss_err"] < 1e-14
    assert glued["bp_W1_shape"] == "5 × 4"
    for name in ("∂L/∂z = p − t", "∂L/∂W1 = δ1 xᵀ", "∂L/∂W2 = δ2 hᵀ"):
        assert name in page


def test_torch_accumulates_var_does_not(backprop):
    glued, page, _ = backprop
    assert glued["bp_torch_once"] == 20.0
    assert glued["bp_torch_twice"] == 40.0
    assert glued["bp_var_twice"] == 20.0
    assert "after optimizer.zero_grad(): x.grad is None" in page
    assert "a second backward() without retain_graph: Trying to backward through the graph" in page
