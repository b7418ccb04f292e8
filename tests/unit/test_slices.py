"""Filter-normalised directions and loss slices (Li et al., 2018)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from slopebook.slices import (
    filter_normalized_direction,
    loss_slice_1d,
    loss_slice_2d,
    random_direction,
)


def _mlp(seed: int = 0) -> torch.nn.Sequential:
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)
    ).double()


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return torch.tensor(rng.standard_normal((50, 3))), torch.tensor(rng.standard_normal((50, 2)))


def _mse(data):
    X, y = data
    return lambda m: ((m(X) - y) ** 2).mean()


def test_rows_have_the_norm_of_the_weights_rows():
    model = _mlp()
    d = filter_normalized_direction(model, seed=3)
    for p, di in zip(model.parameters(), d, strict=True):
        assert di.shape == p.shape
        assert di.dtype == p.dtype
        if p.ndim == 2:
            torch.testing.assert_close(di.norm(dim=1), p.detach().norm(dim=1), rtol=1e-12, atol=0)
        else:
            assert torch.count_nonzero(di) == 0


def test_conv_filters_are_normalised_per_output_channel():
    torch.manual_seed(1)
    conv = torch.nn.Conv2d(2, 4, kernel_size=3).double()
    d = filter_normalized_direction(conv, seed=0, ignore_1d=False)
    torch.testing.assert_close(
        d[0].flatten(1).norm(dim=1),
        conv.weight.detach().flatten(1).norm(dim=1),
        rtol=1e-12,
        atol=0,
    )
    torch.testing.assert_close(d[1].norm(), conv.bias.detach().norm(), rtol=1e-12, atol=0)


def test_directions_are_seeded_and_share_draws_with_the_raw_direction():
    model = _mlp()
    a = filter_normalized_direction(model, seed=5)
    b = filter_normalized_direction(model, seed=5)
    c = filter_normalized_direction(model, seed=6)
    raw = random_direction(model, seed=5)
    assert all(torch.equal(x, y) for x, y in zip(a, b, strict=True))
    assert not torch.equal(a[0], c[0])
    # Same draws: the normalised rows are positive multiples of the raw rows.
    cos = torch.nn.functional.cosine_similarity(a[0], raw[0], dim=1)
    torch.testing.assert_close(cos, torch.ones_like(cos), rtol=0, atol=1e-12)


def test_slice_of_a_quadratic_matches_the_formula():
    model = torch.nn.Linear(4, 1, bias=False).double()
    theta = model.weight.detach().clone()
    d = filter_normalized_direction(model, seed=0)
    alphas = np.linspace(-2, 2, 9)
    got = loss_slice_1d(model, lambda m: (m.weight**2).sum(), d, alphas)
    expected = [float(((theta + a * d[0]) ** 2).sum()) for a in alphas]
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_filter_normalised_slices_do_not_see_a_rescaling(data):
    """A ReLU net with layer 1 ×10 and layer 2 ÷10 is the same function: same slice."""
    model = _mlp()
    rescaled = copy.deepcopy(model)
    with torch.no_grad():
        rescaled[0].weight.mul_(10.0)
        rescaled[0].bias.mul_(10.0)
        rescaled[2].weight.div_(10.0)
    loss = _mse(data)
    alphas = np.linspace(-1, 1, 11)
    fn = [
        loss_slice_1d(m, loss, filter_normalized_direction(m, seed=2), alphas)
        for m in (model, rescaled)
    ]
    raw = [loss_slice_1d(m, loss, random_direction(m, seed=2), alphas) for m in (model, rescaled)]
    np.testing.assert_allclose(fn[0], fn[1], rtol=1e-10)
    assert np.max(np.abs(raw[0] - raw[1])) > 1e-2


def test_slices_restore_the_weights_even_on_error(data):
    model = _mlp()
    before = [p.detach().clone() for p in model.parameters()]
    d = filter_normalized_direction(model, seed=0)
    loss_slice_2d(model, _mse(data), (d, d), [0.5, 1.0], [-1.0])
    calls = []

    def failing(m):
        calls.append(1)
        if len(calls) == 2:
            msg = "boom"
            raise RuntimeError(msg)
        return _mse(data)(m)

    with pytest.raises(RuntimeError, match="boom"):
        loss_slice_1d(model, failing, d, [0.0, 1.0, 2.0])
    for p, b in zip(model.parameters(), before, strict=True):
        assert torch.equal(p.detach(), b)


def test_2d_slice_layout_and_consistency_with_1d(data):
    model = _mlp()
    loss = _mse(data)
    d1 = filter_normalized_direction(model, seed=1)
    d2 = filter_normalized_direction(model, seed=2)
    alphas, betas = np.linspace(-1, 1, 5), np.array([0.0, 0.5, 1.0])
    Z = loss_slice_2d(model, loss, (d1, d2), alphas, betas)
    assert Z.shape == (3, 5)
    np.testing.assert_allclose(Z[0], loss_slice_1d(model, loss, d1, alphas), rtol=1e-13)
    np.testing.assert_allclose(Z[:, 2], loss_slice_1d(model, loss, d2, betas), rtol=1e-13)
    assert Z[0, 2] == pytest.approx(float(loss(model).detach()), rel=1e-13)


def test_bad_input_is_refused(data):
    model = _mlp()
    d = filter_normalized_direction(model, seed=0)
    with pytest.raises(TypeError, match=r"torch\.nn\.Module"):
        filter_normalized_direction("not a model", seed=0)
    with pytest.raises(TypeError, match="seed must be an integer"):
        filter_normalized_direction(model, seed=1.5)
    with pytest.raises(ValueError, match="one tensor per model parameter"):
        loss_slice_1d(model, _mse(data), d[:-1], [0.0])
    with pytest.raises(ValueError, match="must be a tensor of shape"):
        loss_slice_1d(model, _mse(data), [d[0].T, *d[1:]], [0.0])
    with pytest.raises(ValueError, match="scalar torch tensor"):
        loss_slice_1d(model, lambda m: m(data[0]), d, [0.0])
    with pytest.raises(ValueError, match="pair"):
        loss_slice_2d(model, _mse(data), (d,), [0.0], [0.0])
    with pytest.raises(ValueError, match="finite"):
        loss_slice_1d(model, _mse(data), d, [0.0, np.nan])
    with pytest.raises(TypeError, match="callable"):
        loss_slice_1d(model, 3.0, d, [0.0])
