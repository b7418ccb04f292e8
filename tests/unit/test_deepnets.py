"""Deep stacks: parameter counts, and vanishing / exploding gradients through depth."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from slopebook import deepnets
from slopebook.activations import sigmoid_derivative


def test_parameter_count_matches_formula_and_gradients():
    sizes = (4, 16, 8, 1)
    model = deepnets.mlp(sizes, "tanh")
    expected = sum(a * b + b for a, b in itertools.pairwise(sizes))
    assert deepnets.count_parameters(model) == expected
    loss = model(torch.ones(2, 4, dtype=torch.float64)).pow(2).mean()
    loss.backward()
    # one partial derivative per parameter
    assert sum(p.grad.numel() for p in model.parameters()) == expected


def test_mlp_is_seeded_and_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    a = deepnets.mlp((3, 5, 2), seed=7)
    assert torch.equal(torch.rand(3), expected)
    b = deepnets.mlp((3, 5, 2), seed=7)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    c = deepnets.mlp((3, 5, 2), seed=8)
    assert not torch.equal(a[0].weight, c[0].weight)


def test_output_layer_has_unit_gradient():
    for name in ("relu", "sigmoid", "tanh"):
        g = deepnets.gradient_norms_through_depth(name, depth=5, width=8)
        assert g.shape == (6,)
        assert g[-1] == pytest.approx(1.0)


def test_sigmoid_vanishes_at_least_as_fast_as_its_bound():
    depth = 12
    g = deepnets.gradient_norms_through_depth("sigmoid", depth=depth)
    assert np.all(np.diff(g) > 0)  # shrinks at every layer on the way down
    ratio = (g[0] / g[-1]) ** (1 / depth)  # geometric mean shrink per layer
    assert ratio < float(sigmoid_derivative(0.0)) * 1.5
    assert g[0] < 1e-6


def test_relu_he_init_is_steady_and_large_weights_explode():
    steady = deepnets.gradient_norms_through_depth("relu", depth=20, weight_scale=np.sqrt(2))
    assert steady.min() > 0.2
    assert steady.max() < 5
    exploding = deepnets.gradient_norms_through_depth("relu", depth=20, weight_scale=2.0)
    assert exploding[0] > 100


def test_matches_a_manual_chain_rule():
    # depth 1, width 1: dL/dx = u * w * act'(w x); u = ±1 so |dL/dx| = |w| act'(w x)
    gen = torch.Generator().manual_seed(3)
    w = float(torch.randn(1, 1, generator=gen, dtype=torch.float64))
    torch.randn(1, generator=gen, dtype=torch.float64)  # u
    x = float(torch.randn(1, 1, generator=gen, dtype=torch.float64))
    g = deepnets.gradient_norms_through_depth("sigmoid", depth=1, width=1, batch=1, seed=3)
    assert g[0] == pytest.approx(abs(w) * float(sigmoid_derivative(w * x)), rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"activation": "gelu", "depth": 3}, ValueError, "unknown activation"),
        ({"activation": "relu", "depth": 0}, ValueError, "at least 1"),
        ({"activation": "relu", "depth": 2.5}, TypeError, "integer"),
        ({"activation": "relu", "depth": 2, "weight_scale": -1}, ValueError, "positive"),
        ({"activation": "relu", "depth": 2, "weight_scale": "big"}, TypeError, "number"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        deepnets.gradient_norms_through_depth(**kwargs)


def test_mlp_and_count_bad_input():
    with pytest.raises(ValueError, match="at least an input and an output"):
        deepnets.mlp((3,))
    with pytest.raises(TypeError, match="sequence"):
        deepnets.mlp(3)
    with pytest.raises(TypeError, match="Module"):
        deepnets.count_parameters([1, 2])


def test_nudge_partial_matches_backward_for_every_weight_of_a_layer():
    model = deepnets.mlp((3, 4, 2), "sigmoid", seed=1)
    x = torch.linspace(-1, 1, 15, dtype=torch.float64).reshape(5, 3)

    def loss_fn():
        return model(x).pow(2).sum()

    loss_fn().backward()
    weight = model[2].weight
    before = weight.detach().clone()
    for i in range(weight.shape[0]):
        for j in range(weight.shape[1]):
            assert deepnets.nudge_partial(loss_fn, weight, (i, j)) == pytest.approx(
                weight.grad[i, j].item(), abs=1e-9
            )
    assert torch.equal(weight.detach(), before)  # every nudge undone


def test_nudge_partial_bad_input_and_restores_on_error():
    model = deepnets.mlp((2, 1))
    weight = model[0].weight
    before = weight.detach().clone()

    def broken():
        raise RuntimeError

    with pytest.raises(RuntimeError):
        deepnets.nudge_partial(broken, weight, (0, 0))
    assert torch.equal(weight.detach(), before)
    with pytest.raises(ValueError, match="tuple of 2"):
        deepnets.nudge_partial(lambda: weight.sum(), weight, (0,))
    with pytest.raises(TypeError, match="float64"):
        deepnets.nudge_partial(lambda: weight.sum(), weight.float(), (0, 0))
    with pytest.raises(ValueError, match="positive"):
        deepnets.nudge_partial(lambda: weight.sum(), weight, (0, 0), h=-1.0)


def test_plot_gradient_norms_draws_one_line_per_network_and_refuses_bad_sizes():
    import matplotlib.pyplot as plt

    from slopebook.plotting import plot_gradient_norms

    g = deepnets.gradient_norms_through_depth("sigmoid", depth=4, width=8)
    fig, ax = plot_gradient_norms({"sigmoid": g, "flat": np.ones(5)})
    np.testing.assert_allclose(ax.lines[0].get_ydata(), g)
    assert ax.get_yscale() == "log"
    plt.close(fig)
    with pytest.raises(ValueError, match="positive finite"):
        plot_gradient_norms({"bad": [1.0, 0.0]})
    with pytest.raises(TypeError, match="mapping"):
        plot_gradient_norms([1.0, 2.0])
