"""slopebook.backprop: reverse mode (Var) and forward mode (Dual) against torch float64,
against each other and against finite differences; fresh gradients; deep graphs; errors.

The random programs below build expression graphs in which every step may reuse any
earlier node, so shared sub-expressions (a node with several uses, whose adjoint is a sum)
are the rule rather than the exception. The same program runs on Var, on Dual and on 0-d
torch tensors: the operations used exist under the same names on all three.
"""

from __future__ import annotations

import gc
import math
import operator
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import slopebook as sb
from slopebook import backprop as bp
from slopebook.backprop import Dual, Var

# name -> (arity, builder(a, b, c)); every builder stays inside the domain of its functions.
OPS = {
    "add": (2, lambda a, b, c: a + b),
    "sub": (2, lambda a, b, c: a - b),
    "mul": (2, lambda a, b, c: a * b),
    "div": (2, lambda a, b, c: a / (b * b + 1.0)),
    "neg": (1, lambda a, b, c: -a),
    "add_c": (1, lambda a, b, c: a + c),
    "c_add": (1, lambda a, b, c: c + a),
    "c_sub": (1, lambda a, b, c: c - a),
    "sub_c": (1, lambda a, b, c: a - c),
    "c_mul": (1, lambda a, b, c: c * a),
    "mul_c": (1, lambda a, b, c: a * c),
    "c_div": (1, lambda a, b, c: c / (a * a + 0.5)),
    "div_c": (1, lambda a, b, c: a / (abs(c) + 0.5)),
    "square": (1, lambda a, b, c: a**2),
    "cube": (1, lambda a, b, c: a**3),
    "sqrt": (1, lambda a, b, c: (a * a + 1.0) ** 0.5),
    "inv_pow": (1, lambda a, b, c: (a * a + 1.0) ** -1.5),
    "exp": (1, lambda a, b, c: a.exp()),
    "log": (1, lambda a, b, c: (a * a + 0.1).log()),
    "sin": (1, lambda a, b, c: a.sin()),
    "cos": (1, lambda a, b, c: a.cos()),
    "tanh": (1, lambda a, b, c: a.tanh()),
    "sigmoid": (1, lambda a, b, c: a.sigmoid()),
    "relu": (1, lambda a, b, c: a.relu()),
}

step = st.tuples(
    st.sampled_from(sorted(OPS)),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.floats(-2.0, 2.0).filter(lambda c: abs(c) > 1e-3),
)
programs = st.tuples(
    st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4),
    st.lists(step, min_size=1, max_size=14),
)


def run(program, inputs):
    """Evaluate ``program`` on ``inputs`` (Vars, Duals or tensors); the last node is the output.

    Operands are picked among all earlier nodes, so nodes are shared.
    """
    nodes = list(inputs)
    for name, i, j, c in program:
        arity, build = OPS[name]
        a = nodes[i % len(nodes)]
        b = nodes[j % len(nodes)] if arity == 2 else None
        nodes.append(build(a, b, c))
    return nodes[-1]


def _value(node):
    return float(node.item()) if isinstance(node, torch.Tensor) else node.value


def by_torch(program, x):
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in x]
    out = run(program, xs)
    grads = torch.autograd.grad(out, xs, allow_unused=True)
    return float(out.item()), np.array([0.0 if g is None else float(g) for g in grads])


def by_var(program, x):
    """Value and gradient by Var, with the scales the rounding errors are measured against."""
    xs = [Var(v) for v in x]
    out = run(program, xs)
    out.backward()
    return out.value, np.array([v.grad for v in xs]), scales(out, xs)


def _terms(node, local):
    """The size of the terms a node's local partial is computed from (see ``scales``)."""
    if node._expr.startswith("tanh("):
        return 1.0 + node.value**2
    if node._expr.startswith("σ("):
        return node.value * (1.0 + node.value)
    return abs(local)


def scales(out, xs):
    """``(value scale, gradient scales)``: the largest |value| of any node, and for each input
    the sum over all paths to the output of |product of the local partials| (a reverse sweep
    on absolute values).

    Two correct programs that add the same terms in a different order (forward against
    reverse mode, or this engine against torch) differ by rounding errors of order
    ``eps × Σ |terms|``, not ``eps × |sum|``: when paths cancel, as in ``(x + q) − x``, the
    exact partial can be far smaller than its terms. Relative errors are taken against these
    scales; without cancellation they equal |value| and |gradient|.

    The same holds inside a local partial that is a difference: tanh' = 1 − t² and
    σ' = σ(1 − σ) are computed from t and σ, which carry a rounding error of order eps·|t|
    (two libraries may differ by an ulp there), so where t² or σ is near 1 they are known
    only to eps × (1 + t²) and eps × σ(1 + σ), not to eps × their own small size (at
    x = tanh(e²), 1 − t² ≈ 1.5e-6). Those terms are what a path's size is measured with.
    """
    order = bp.topological_order(out)
    size = {id(n): 0.0 for n in order}
    size[id(out)] = 1.0
    for node in reversed(order):
        for parent, local in node._parents:
            size[id(parent)] += size[id(node)] * _terms(node, local)
    value_scale = max(abs(n.value) for n in order)
    return value_scale, np.array([size.get(id(v), 0.0) for v in xs])


def by_dual(program, x):
    columns = []
    for k in range(len(x)):
        out = run(program, [Dual(v, 1.0 if i == k else 0.0) for i, v in enumerate(x)])
        columns.append(out.tangent)
    return out.value, np.array(columns)


def _tame(value, grad):
    """Skip programs whose numbers leave a range where float64 comparison is meaningful."""
    return math.isfinite(value) and abs(value) < 1e8 and np.all(np.abs(grad) < 1e8)


def assert_close(value, grad, ref_value, ref_grad, scale):
    """Relative error ≤ 1e-12 against the scales of ``scales`` (exact where a scale is 0)."""
    value_scale, grad_scale = scale
    assert abs(value - ref_value) <= 1e-12 * value_scale
    assert np.all(np.abs(grad - ref_grad) <= 1e-12 * grad_scale), (grad, ref_grad, grad_scale)


def _var_or_skip(program, x):
    try:
        value, grad, scale = by_var(program, x)
    except OverflowError:
        assume(False)
    assume(_tame(value, grad) and np.all(scale[1] < 1e8))
    return value, grad, scale


@settings(max_examples=60, deadline=None)
@given(programs)
def test_var_matches_torch_on_random_graphs(case):
    x, program = case
    value, grad, scale = _var_or_skip(program, x)
    t_value, t_grad = by_torch(program, x)
    assert_close(value, grad, t_value, t_grad, scale)


@settings(max_examples=40, deadline=None)
@given(programs)
def test_dual_matches_var_on_random_graphs(case):
    x, program = case
    value, grad, scale = _var_or_skip(program, x)
    d_value, tangents = by_dual(program, x)
    assert d_value == value  # the same operations in the same order
    assert_close(d_value, tangents, value, grad, scale)


def test_cancelling_paths_are_compared_against_their_terms():
    """(x + q(x)) − x: the terms of ∂/∂x are 1, −1 and q'(x) ≈ −1e-42. Var (like torch)
    keeps the tiny term, Dual adds 1 + q' first and loses it; both are within rounding
    of the terms' size, which is what assert_close measures."""
    x = [1.4998934397086847e-43]
    program = [("c_div", 0, 0, 1.0), ("neg", 0, 0, 1.0), ("add", 0, 1, 1.0), ("add", 3, 2, 1.0)]
    value, grad, scale = by_var(program, x)
    _, tangents = by_dual(program, x)
    _, t_grad = by_torch(program, x)
    assert grad[0] == t_grad[0] == pytest.approx(-1.1999147517669478e-42, rel=1e-12)
    assert tangents[0] == 0.0
    assert scale[1][0] == pytest.approx(2.0, rel=1e-12)
    assert_close(value, tangents, value, grad, scale)


def test_the_random_graphs_do_share_nodes():
    """The generator is meant to reuse nodes: check that a typical program does."""
    x = [0.3, -1.2]
    program = [("mul", 0, 1, 1.0), ("add", 2, 2, 1.0), ("sin", 0, 0, 1.0), ("mul", 3, 4, 1.0)]
    xs = [Var(v) for v in x]
    out = run(program, xs)
    uses = {}
    for node in bp.topological_order(out):
        for parent, _ in node._parents:
            uses[id(parent)] = uses.get(id(parent), 0) + 1
    assert max(uses.values()) >= 2


# -- the worked example ------------------------------------------------------------------
def test_x2y_plus_3y():
    x, y = Var(2.0, name="x"), Var(5.0, name="y")
    f = x**2 * y + 3 * y
    f.backward()
    assert f.value == 35.0
    assert (x.grad, y.grad) == (20.0, 7.0)
    dx = Dual(2.0, 1.0) ** 2 * Dual(5.0, 0.0) + 3 * Dual(5.0, 0.0)
    dy = Dual(2.0, 0.0) ** 2 * Dual(5.0, 1.0) + 3 * Dual(5.0, 1.0)
    assert (dx.value, dx.tangent, dy.tangent) == (35.0, 20.0, 7.0)


def test_traces_of_the_worked_example():
    x, y = Var(2.0, name="x"), Var(5.0, name="y")
    f = x**2 * y + 3 * y
    fwd = bp.forward_trace(f, tangents={y: 1.0})
    assert fwd.column("node") == ["x", "v1", "y", "v2", "v3", "v4"]
    assert fwd.column("value") == [2.0, 4.0, 5.0, 20.0, 15.0, 35.0]
    assert fwd.column("tangent")[-1] == 7.0
    assert bp.forward_trace(f).columns == ("node", "definition", "value")
    rev = bp.reverse_trace(f)
    adjoints = dict(zip(rev.column("node"), rev.column("value"), strict=True))
    assert adjoints == {"v4": 1.0, "v3": 1.0, "v2": 1.0, "y": 7.0, "v1": 5.0, "x": 20.0}
    # y is used twice: its row is a sum of two paths, 4 + 3.
    row_y = rev.rows[rev.column("node").index("y")]
    assert row_y[2] == "1 · 4 + 1 · 3"
    assert "<table" in rev._repr_html_()
    assert "v̄2" in rev._repr_html_()
    assert str(rev).splitlines()[0].startswith("node")
    with pytest.raises(KeyError, match="the columns are"):
        rev.column("tangent")


def test_draw_graph_shows_values_and_adjoints():
    x, y = Var(2.0, name="x"), Var(5.0, name="y")
    f = x**2 * y + 3 * y
    fig, ax = bp.draw_graph(f, title="f")
    texts = [t.get_text() for t in ax.texts]
    boxes = [t for t in texts if "value" in t]
    assert len(boxes) == 6
    assert any("x" in t and "value 2" in t and "adjoint 20" in t for t in boxes)
    assert any("y" in t and "adjoint 7" in t for t in boxes)
    # One arrow and one label (the local partial) per edge: 6 edges.
    assert sorted(t for t in texts if t and "value" not in t) == ["1", "1", "3", "4", "4", "5"]
    assert texts.count("") == 6
    plt.close(fig)
    fig, ax = bp.draw_graph(f, adjoints=False, edge_labels=False)
    assert not any("adjoint" in t.get_text() for t in ax.texts)
    plt.close(fig)


def test_backprop_does_not_import_matplotlib_or_torch_until_drawing():
    """Imported in a fresh interpreter, backprop pulls in neither library until drawn."""
    import subprocess

    code = (
        "import sys\n"
        "from slopebook.backprop import Var\n"
        "x = Var(2.0); (x * x).backward()\n"
        "print(x.grad, 'matplotlib' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["4.0", "False", "False"]


# -- fresh gradients, unlike torch --------------------------------------------------------
def test_backward_sets_fresh_gradients_torch_accumulates():
    x, y = Var(2.0), Var(5.0)
    f = x * y
    f.backward()
    f.backward()
    assert (x.grad, y.grad) == (5.0, 2.0)  # not (10, 4)
    g = x + y  # another output of the same inputs: its gradient replaces f's
    g.backward()
    assert (x.grad, y.grad) == (1.0, 1.0)  # not (6, 3)

    xt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)
    ft = xt * yt
    ft.backward(retain_graph=True)
    ft.backward()
    assert float(xt.grad) == 10.0  # torch adds the second pass into .grad


def test_intermediate_nodes_get_their_adjoints():
    x = Var(0.7)
    h = x.sin()
    out = h * h
    out.backward()
    assert h.grad == pytest.approx(2 * math.sin(0.7), rel=1e-15)
    assert out.grad == 1.0


# -- deep graphs ---------------------------------------------------------------------------
def test_a_graph_of_100000_nodes():
    # The cyclic garbage collector is paused while the graph is built and swept: 10⁵ live
    # objects make its passes slow, and they are beside the point here (the graph has no
    # cycles, so nothing is leaked).
    gc.disable()
    try:
        x = Var(0.3)
        y = x
        d = Dual(0.3, 1.0)
        for _ in range(50_000):  # two nodes per step
            y = (y * 0.99999).sin()
            d = (d * 0.99999).sin()
        order = bp.topological_order(y)
        y.backward()
    finally:
        gc.enable()
    assert len(order) == 100_001
    assert len(order) > 20 * sys.getrecursionlimit()
    assert y.value == d.value
    assert x.grad == pytest.approx(d.tangent, rel=1e-12)


# -- against finite differences -----------------------------------------------------------
FUNCTIONS = {
    "x²y + 3y": lambda v: v[0] ** 2 * v[1] + 3 * v[1],
    "sin(xy) / (1 + y²)": lambda v: (v[0] * v[1]).sin() / (1 + v[1] ** 2),
    "log(x² + 1) · tanh(y) − exp(−x)": lambda v: (
        (v[0] ** 2 + 1).log() * v[1].tanh() - (-v[0]).exp()
    ),
    "σ(x − y) + relu(x) · cos(y)": lambda v: (v[0] - v[1]).sigmoid() + v[0].relu() * v[1].cos(),
    "2 / (x² + 1) − 1 − x + 0.5 ** 1": lambda v: 2 / (v[0] ** 2 + 1) - 1 - v[0] + v[1] ** 0.5,
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_var_and_dual_against_finite_differences(name):
    f = FUNCTIONS[name]
    point = [1.3, 0.8]
    reverse = bp.gradient(f, point)
    forward = bp.jacobian(f, point, mode="forward")[0]
    fd = sb.gradient(lambda p: f([Dual(float(v)) for v in p]).value, np.array(point))
    np.testing.assert_allclose(reverse, forward, rtol=1e-13)
    np.testing.assert_allclose(reverse, fd, rtol=1e-7)


def test_one_variable_derivatives_against_slopebook_derivative():
    for method in ("exp", "log", "sin", "cos", "tanh", "sigmoid", "relu"):
        x0 = 0.9
        x = Var(x0)
        out = getattr(x, method)()
        out.backward()
        fd = sb.derivative(
            np.vectorize(lambda t, m=method: getattr(Dual(float(t)), m)().value), x0
        )
        assert x.grad == pytest.approx(float(fd), rel=1e-8), method
        assert getattr(Dual(x0, 1.0), method)().tangent == pytest.approx(x.grad, rel=1e-15)


def test_jacobian_both_modes_agree_with_torch():
    def f(v):
        return [v[0] * v[1] + v[2], v[0].sin() * v[2] ** 2, (v[1] - v[2]).tanh()]

    point = [0.4, -1.1, 2.0]
    J_fwd = bp.jacobian(f, point, mode="forward")
    J_rev = bp.jacobian(f, point, mode="reverse")
    J_torch = sb.autodiff.jacobian(lambda t: torch.stack(f(list(t))), np.array(point))
    assert J_fwd.shape == (3, 3)
    np.testing.assert_allclose(J_fwd, J_torch, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(J_rev, J_torch, rtol=1e-13, atol=1e-15)


def test_reverse_jacobian_rows_do_not_leak_between_outputs():
    # The second output does not use x[0]: its row must say 0 there, not the first row's value.
    J = bp.jacobian(lambda v: [v[0] * v[1], v[1].sin()], [2.0, 0.5], mode="reverse")
    assert J[1, 0] == 0.0
    assert J[0, 0] == 0.5


def test_mixed_numbers_on_either_side():
    x = Var(3.0)
    cases = {
        "x + 2": (x + 2, 1.0),
        "2 + x": (2 + x, 1.0),
        "x - 2": (x - 2, 1.0),
        "2 - x": (2 - x, -1.0),
        "x * 2": (x * 2, 2.0),
        "2 * x": (2 * x, 2.0),
        "x / 2": (x / 2, 0.5),
        "2 / x": (2 / x, -2.0 / 9.0),
        "-x": (-x, -1.0),
        "x ** 2": (x**2, 6.0),
        "x * np.float64(2)": (x * np.float64(2.0), 2.0),
        "np.int64(2) + x": (np.int64(2) + x, 1.0),
    }
    for name, (out, expected) in cases.items():
        assert isinstance(out, Var), name
        out.backward()
        assert x.grad == pytest.approx(expected, rel=1e-15), name


# -- bad input -----------------------------------------------------------------------------
def test_errors_for_bad_input():
    x = Var(2.0)
    with pytest.raises(
        TypeError, match=r"Var\(value\) must be a real number.*str.*float\(\.\.\.\)"
    ):
        Var("2.0")
    with pytest.raises(TypeError, match="bool"):
        Var(True)
    with pytest.raises(ValueError, match="must be finite"):
        Var(float("nan"))
    with pytest.raises(TypeError, match="name must be a string"):
        Var(1.0, name=3)
    with pytest.raises(TypeError, match=r"Dual\(value\) must be a real number.*list"):
        Dual([1.0])
    with pytest.raises(TypeError, match=r"Dual\(tangent\)"):
        Dual(1.0, "1")
    for bad in ("a", None, [1.0], np.array([1.0, 2.0]), True):
        for op in (operator.add, operator.sub, operator.mul, operator.truediv):
            for number in (x, Dual(1.0)):
                with pytest.raises(TypeError, match=r"unsupported operand types.*plain real"):
                    op(number, bad)
    with pytest.raises(TypeError, match=r"unsupported operand types.*Var"):
        "a" + x
    with pytest.raises(TypeError, match="cannot be mixed"):
        x + Dual(1.0, 1.0)
    with pytest.raises(TypeError, match="cannot be mixed"):
        Dual(1.0, 1.0) * x
    with pytest.raises(TypeError, match=r"raised to a plain number.*exp"):
        x**x
    with pytest.raises(TypeError, match="raised to a plain number"):
        Dual(1.0) ** Dual(1.0)
    with pytest.raises(TypeError, match="power of a Var is not supported"):
        2.0**x
    with pytest.raises(TypeError, match="power of a Dual is not supported"):
        2.0 ** Dual(1.0)
    for value in (0.0, -1.5):
        with pytest.raises(ValueError, match="log is defined for positive values only"):
            Var(value).log()
        with pytest.raises(ValueError, match="log is defined for positive values only"):
            Dual(value, 1.0).log()
    with pytest.raises(ValueError, match="negative base to a non-integer power"):
        Var(-8.0) ** 0.5
    with pytest.raises(ValueError, match="no finite derivative at 0"):
        Dual(0.0, 1.0) ** 0.5
    assert (Var(-2.0) ** 3).value == -8.0
    with pytest.raises(ZeroDivisionError, match="whose value is 0"):
        x / Var(0.0)
    with pytest.raises(ZeroDivisionError, match="whose value is 0"):
        1.0 / Var(0.0)
    with pytest.raises(ZeroDivisionError, match="whose value is 0"):
        Dual(1.0) / 0
    for routine in (bp.forward_trace, bp.reverse_trace, bp.draw_graph, bp.topological_order):
        with pytest.raises(TypeError, match="needs a Var"):
            routine(3.0)
    with pytest.raises(ValueError, match="input Vars of this graph"):
        bp.forward_trace(x * x, tangents={Var(1.0): 1.0})
    with pytest.raises(TypeError, match="tangents must be a dict"):
        bp.forward_trace(x * x, tangents=[1.0])
    with pytest.raises(ValueError, match="unknown mode 'sideways'"):
        bp.jacobian(lambda v: v[0], [1.0], mode="sideways")
    with pytest.raises(TypeError, match="f must return a Var"):
        bp.gradient(lambda v: 3.0, [1.0])
    with pytest.raises(TypeError, match=r"x\[1\] must be a real number"):
        bp.gradient(lambda v: v[0], [1.0, "2"])
    with pytest.raises(TypeError, match="x must be a sequence"):
        bp.gradient(lambda v: v[0], 1.0)
    with pytest.raises(ValueError, match="at least one component"):
        bp.gradient(lambda v: v[0], [])


def test_reprs():
    assert repr(Var(1.5, name="w")) == "Var(1.5, name='w', grad=0.0)"
    assert repr(Dual(1.5, 2.0)) == "Dual(1.5, 2.0)"
    assert repr(bp.reverse_trace(Var(1.0) * 2)).startswith("reverse sweep\nnode")
