"""Activations, MSE and the rules catalogue: closed forms vs finite differences vs autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import slopebook as sb
from slopebook import activations as act
from slopebook.rules import RULES, check_rule

# Points that avoid ReLU's kink at 0 (an even count of evenly spaced points).
XS = np.linspace(-5.0, 5.0, 40)


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_activation_derivative_matches_finite_and_autograd(name):
    f, df = act.ACTIVATIONS[name]
    exact = df(XS)
    np.testing.assert_allclose(sb.derivative(f, XS), exact, atol=1e-9)
    np.testing.assert_allclose(sb.autodiff.derivative(f, XS), exact, atol=1e-15)


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_activation_matches_torch(name):
    f, _ = act.ACTIVATIONS[name]
    reference = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[name]
    t = torch.tensor(XS)
    np.testing.assert_allclose(f(XS), reference(t).numpy(), rtol=1e-15, atol=1e-300)
    out = f(t)
    assert isinstance(out, torch.Tensor)
    assert out.dtype == torch.float64


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    s = act.sigmoid(XS)
    np.testing.assert_allclose(act.sigmoid_derivative(XS), s * (1 - s), rtol=1e-12)


def test_sigmoid_derivative_peaks_at_a_quarter():
    assert float(act.sigmoid_derivative(0.0)) == 0.25
    grid = np.linspace(-10, 10, 20001)
    d = act.sigmoid_derivative(grid)
    assert d.max() == 0.25
    assert grid[np.argmax(d)] == 0.0


def test_tanh_derivative_is_one_minus_tanh_squared():
    np.testing.assert_allclose(act.tanh_derivative(XS), 1 - np.tanh(XS) ** 2, rtol=1e-10)
    assert float(act.tanh_derivative(0.0)) == 1.0


def test_tails_do_not_overflow_or_round_to_zero():
    x = np.array([-1000.0, -40.0, 40.0, 1000.0])
    s = act.sigmoid(x)
    assert s[0] == 0.0
    assert s[-1] == 1.0
    # σ'(40) = e^-40 / (1 + e^-40)^2, far below 1 − σ(40)'s rounding, but not zero
    assert act.sigmoid_derivative(40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)
    assert act.tanh_derivative(20.0) == pytest.approx(4 * np.exp(-40.0), rel=1e-12)


def test_relu_kink_convention_matches_torch():
    x = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    torch.relu(x).sum().backward()
    assert float(act.relu_derivative(0.0)) == float(x.grad[0]) == 0.0


def test_mse_and_derivative():
    y, y_hat = np.array([3.0, -1.0, 2.0]), np.array([1.0, 0.5, 2.0])
    assert float(act.mse(y, y_hat)) == pytest.approx(np.mean((y - y_hat) ** 2))
    np.testing.assert_allclose(act.mse_derivative(y, y_hat), -2 * (y - y_hat))
    # d/dŷ of one squared error, three ways
    for target in (3.0, -1.5):

        def one(h, target=target):
            return (target - h) ** 2

        exact = float(act.mse_derivative(target, 1.0))
        assert sb.derivative(one, 1.0) == pytest.approx(exact, abs=1e-9)
        assert sb.autodiff.derivative(one, 1.0) == pytest.approx(exact, abs=1e-15)


def test_mse_torch_gradient_is_divided_by_count():
    y = torch.tensor([3.0, -1.0], dtype=torch.float64)
    y_hat = torch.tensor([1.0, 0.5], dtype=torch.float64, requires_grad=True)
    act.mse(y, y_hat).backward()
    np.testing.assert_allclose(y_hat.grad.numpy(), act.mse_derivative(y, y_hat.detach()) / 2)


@settings(max_examples=60, deadline=None)
@given(st.floats(-30, 30))
def test_sigmoid_symmetry_property(x):
    assert float(act.sigmoid(x) + act.sigmoid(-x)) == pytest.approx(1.0, abs=1e-15)
    assert float(act.sigmoid_derivative(x)) == pytest.approx(
        float(act.sigmoid_derivative(-x)), rel=1e-15
    )


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_checks_out(name):
    rule = RULES[name]
    xs = np.linspace(*rule.domain, 40)
    errors = check_rule(rule.f, rule.df, xs)
    scale = max(1.0, float(np.max(np.abs(rule.df(xs)))))
    assert errors["finite"] < 1e-8 * scale
    assert errors["autograd"] < 1e-13 * scale


def test_check_rule_catches_a_wrong_rule():
    errors = check_rule(lambda x: x**3, lambda x: x**2, np.linspace(-2, 2, 9))  # not 3x²
    assert errors["finite"] > 1
    assert errors["autograd"] > 1


def test_exponential_family_is_its_own_derivative():
    xs = np.linspace(-2, 2, 9)
    for c in (0.0, 1.0, 3.0, -2.0):
        np.testing.assert_allclose(
            sb.autodiff.derivative(lambda x, c=c: c * torch.exp(x), xs), c * np.exp(xs)
        )


@pytest.mark.parametrize("bad", ["abc", np.array([1 + 2j]), [object()]])
def test_bad_input_is_refused(bad):
    with pytest.raises(TypeError, match="real"):
        act.sigmoid(bad)


def test_mse_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        act.mse(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="same shape"):
        act.mse_derivative(np.zeros(2), np.zeros(3))


def test_check_rule_refuses_bad_df():
    with pytest.raises(TypeError, match="callable"):
        check_rule(np.sin, "cos", [1.0])
    with pytest.raises(ValueError, match="one value per point"):
        check_rule(np.sin, lambda x: np.ones(3), [1.0, 2.0])
