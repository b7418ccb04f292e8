"""derivative_estimate and hessian_estimate: accuracy, honest error bars, evaluations."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

import slopebook as sb
from slopebook import autodiff, landscapes

SMOOTH = {
    "sin": (np.sin, np.cos),
    "cos": (np.cos, lambda x: -np.sin(x)),
    "exp": (np.exp, np.exp),
    "tanh": (np.tanh, lambda x: 4 * np.exp(-2 * abs(x)) / (1 + np.exp(-2 * abs(x))) ** 2),
    "cube": (lambda x: x**3, lambda x: 3 * x**2),
    "runge": (lambda x: 1 / (1 + x**2), lambda x: -2 * x / (1 + x**2) ** 2),
    "log1p(x²)": (lambda x: np.log1p(x**2), lambda x: 2 * x / (1 + x**2)),
    "sqrt(1+x²)": (lambda x: np.sqrt(1 + x**2), lambda x: x / np.sqrt(1 + x**2)),
    "sin·gauss": (
        lambda x: np.sin(x) * np.exp(-(x**2) / 4),
        lambda x: np.exp(-(x**2) / 4) * (np.cos(x) - x / 2 * np.sin(x)),
    ),
    "arctan": (np.arctan, lambda x: 1 / (1 + x**2)),
    "sin(3x)": (lambda x: np.sin(3 * x), lambda x: 3 * np.cos(3 * x)),
}
# [-pi, pi] (with exact 0) and beyond.
POINTS = np.concatenate([np.linspace(-np.pi, np.pi, 101), [0.0, 5.0, -7.5, 10.0, 30.0, -30.0]])


def _scale(f, df, x):
    """The size of the slope: |f'(x)|, or |f(x)| / max(1, |x|) where f' is (nearly) 0.

    Relative error is meaningless at an exactly-zero derivative; there the natural unit
    is how fast f could change, |f| per unit of x (and 1e-15 where both vanish, as
    x**3 does at 0).
    """
    return np.maximum(np.abs(df(x)), np.abs(f(x)) / np.maximum(1.0, np.abs(x))) + 1e-15


@pytest.mark.parametrize("name", SMOOTH)
def test_relative_error_at_most_1e_12_with_at_most_12_evaluations(name):
    f, df = SMOOTH[name]
    r = sb.derivative_estimate(f, POINTS)
    rel = np.abs(r.value - df(POINTS)) / _scale(f, df, POINTS)
    assert rel.max() <= 1e-12, POINTS[np.argmax(rel)]
    assert np.all(r.nfev <= 12)
    assert np.all(r.success)


@pytest.mark.parametrize("name", SMOOTH)
def test_dense_grid_accuracy_and_honest_bounds(name):
    # 4001 points: where two lower-order Richardson entries agree by accident, an
    # optimistic error estimate once let arctan'(-1.385) be off by 1.9e-10 while
    # claiming 4.7e-13.
    f, df = SMOOTH[name]
    x = np.linspace(-np.pi, np.pi, 4001)
    r = sb.derivative_estimate(f, x)
    err = np.abs(r.value - df(x))
    assert (err / _scale(f, df, x)).max() <= 1e-12, x[np.argmax(err / _scale(f, df, x))]
    assert np.mean(err <= r.error) >= 0.99


def test_plain_relative_error_of_sine_on_400_points():
    # The headline case, with no scale floor: |est - cos| / |cos| everywhere.
    x = np.linspace(-np.pi, np.pi, 400)
    r = sb.derivative_estimate(np.sin, x)
    assert np.max(np.abs(r.value - np.cos(x)) / np.abs(np.cos(x))) <= 1e-12
    assert np.all(r.nfev == 10)


def _just_below_powers_of_two():
    """Points within a step of ±2**k: there x + h or x - h crosses into a binade with
    coarser doubles and is rounded, so the step really taken is not the one asked for."""
    rng = np.random.default_rng(3)
    steps = sb.estimate.BASE_STEP * sb.estimate._SHRINK
    below = [p2 - h * rng.uniform(0, 1, 4) for p2 in (0.25, 0.5, 1.0, 2.0) for h in steps]
    x = np.concatenate(below)
    return np.concatenate([x, -x])


@pytest.mark.parametrize("name", SMOOTH)
def test_rounded_steps_near_powers_of_two_cost_no_accuracy(name):
    f, df = SMOOTH[name]
    x = _just_below_powers_of_two()
    r = sb.derivative_estimate(f, x)
    rel = np.abs(r.value - df(x)) / _scale(f, df, x)
    assert rel.max() <= 1e-12, x[np.argmax(rel)]
    assert np.mean(np.abs(r.value - df(x)) <= r.error) >= 0.99


def test_error_estimate_covers_the_true_error_at_99_percent_of_points():
    covered = total = 0
    for name, (f, df) in SMOOTH.items():
        far = [100.0, -100.0, 1e3, 1e4] if name != "exp" else [-100.0, 300.0]
        xs = np.concatenate([POINTS, far])
        r = sb.derivative_estimate(f, xs)
        covered += int(np.sum(np.abs(r.value - df(xs)) <= r.error))
        total += xs.size
    assert covered / total >= 0.99, covered / total
    # ... and it is not vacuous: on [-pi, pi] it is tiny.
    r = sb.derivative_estimate(np.sin, POINTS[:101])
    assert np.all(r.error < 1e-11)


@pytest.mark.parametrize(("f", "x"), [(np.cos, 0.0), (np.sin, np.pi / 2), (np.cosh, 0.0)])
def test_exactly_zero_derivative_succeeds_without_flags(f, x):
    r = sb.derivative_estimate(f, x)
    assert abs(r.value) <= r.error + 1e-15
    assert r.success
    assert r.error < 1e-12


def test_large_x_polynomial_uses_scaled_steps():
    r = sb.derivative_estimate(lambda x: x**2, 1e20)
    assert r.value == pytest.approx(2e20, rel=1e-12)
    assert r.nfev == 20
    assert abs(r.value - 2e20) <= r.error


def test_result_is_frozen_and_shaped_like_x():
    r = sb.derivative_estimate(np.sin, np.zeros((2, 3)))
    assert r.value.shape == r.error.shape == r.nfev.shape == (2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.value = 0  # type: ignore[misc]
    s = sb.derivative_estimate(np.sin, 1.0)
    assert isinstance(s.value, float)
    assert isinstance(s.nfev, int)


KINKED_NEARBY = {
    "|x-1| + sin x": (
        lambda x: np.abs(x - 1) + np.sin(x),
        lambda x: np.sign(x - 1) + np.cos(x),
        1.0,
    ),
    "|x-1| exp x": (
        lambda x: np.abs(x - 1) * np.exp(x),
        lambda x: (np.sign(x - 1) + np.abs(x - 1)) * np.exp(x),
        1.0,
    ),
    "|sin 3x|": (
        lambda x: np.abs(np.sin(3 * x)),
        lambda x: 3 * np.sign(np.sin(3 * x)) * np.cos(3 * x),
        0.0,
    ),
    "relu(x)²": (lambda x: np.maximum(x, 0) ** 2, lambda x: 2 * np.maximum(x, 0), 0.0),
}


@pytest.mark.parametrize("name", KINKED_NEARBY)
def test_a_kink_within_the_steps_does_not_pass_a_wrong_value_as_accurate(name):
    # Points from 1e-9 to 0.5 either side of a kink: the largest steps (0.25, 0.0625)
    # straddle it while the finest do not. Wherever success is claimed, the error bound
    # must hold; elsewhere a KinkWarning or StepSizeWarning says why it is not claimed.
    f, df, kink = KINKED_NEARBY[name]
    offsets = np.geomspace(1e-9, 0.5, 300)
    x = np.concatenate([kink + offsets, kink - offsets])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sb.NumericalWarning)
        r = sb.derivative_estimate(f, x)
    claimed = r.success
    held = np.abs(r.value - df(x)) <= r.error
    assert np.mean(held[claimed]) >= 0.995, x[claimed & ~held] - kink
    assert claimed[np.abs(x - kink) > 0.3].all()  # beyond every step: no doubt at all


def test_a_kink_is_found_from_the_same_ten_values_with_both_slopes():
    counter = sb.CallCounter(lambda x: np.maximum(x, 0.0))
    with pytest.warns(sb.KinkWarning, match="left is about 0 and from the right about 1"):
        r = sb.derivative_estimate(counter, [0.0, 2.0])
    assert r.nfev.tolist() == [10, 10]
    assert counter.calls == 1  # one vectorised call, no extra f(x)
    assert r.success.tolist() == [False, True]
    with pytest.warns(sb.KinkWarning, match="left is about -1 and from the right about 1"):
        sb.derivative_estimate(np.abs, 0.0)


def test_bad_input():
    with pytest.raises(TypeError, match="must be a callable"):
        sb.derivative_estimate("sin", 1.0)
    with pytest.raises(ValueError, match="must be positive"):
        sb.derivative_estimate(np.sin, 1.0, h0=-1.0)
    with pytest.raises(ValueError, match="h0 must be a single"):
        sb.derivative_estimate(np.sin, 1.0, h0=[0.1, 0.2])
    with pytest.raises(ValueError, match="elementwise"):
        sb.derivative_estimate(np.sum, [1.0, 2.0])


def test_hessian_estimate_covers_its_error_and_matches_autograd():
    rng = np.random.default_rng(7)
    for _ in range(5):
        x = rng.uniform(-1.5, 1.5, 6)
        r = sb.hessian_estimate(landscapes.rosenbrock, x)
        exact = autodiff.hessian(landscapes.rosenbrock, x)
        assert np.all(np.abs(r.value - exact) <= r.error)
        assert np.linalg.norm(r.value - exact, 2) <= r.norm_error
        assert np.abs(r.value - exact).max() <= 1e-7 * np.abs(exact).max()
        assert np.array_equal(r.value, r.value.T)
        assert r.nfev == 3 * (6 * 6 + 6 + 1)


def test_classification_uses_the_error_estimate():
    # A true minimum and a true saddle are classified as such ...
    bowl = sb.hessian_estimate(landscapes.bowl, [0.0, 0.0])
    assert sb.classify_critical_point(bowl.value, error=bowl.norm_error) == "minimum"
    saddle = sb.hessian_estimate(landscapes.saddle, [0.0, 0.0])
    assert sb.classify_critical_point(saddle.value, error=saddle.norm_error) == "saddle"
    # ... but x**4 + y**2 has a zero eigenvalue at the origin: a finite-difference Hessian
    # gives a tiny positive or negative number there, which must not be trusted.
    flat = sb.hessian_estimate(lambda p: p[0] ** 4 + p[1] ** 2, [0.0, 0.0])
    assert abs(flat.value[0, 0]) <= flat.error[0, 0]
    assert sb.classify_critical_point(flat.value, error=flat.norm_error) == "indeterminate"
    # And -x**2 - y**2 is a maximum.
    cap = sb.hessian_estimate(lambda p: -(p[0] ** 2) - p[1] ** 2, [0.3, 0.2])
    assert sb.classify_critical_point(cap.value, error=cap.norm_error) == "maximum"


def test_classify_accepts_a_hessian_estimate_directly():
    flat = sb.hessian_estimate(lambda p: p[0] ** 4 + p[1] ** 2, [0.0, 0.0])
    assert sb.classify_critical_point(flat) == "indeterminate"
    # cos(x) + x²/2 is flat to fourth order along x: its exact H[0, 0] is 0, but the
    # finite-difference one is round-off, here positive. Trusted, it claims a minimum.
    r = sb.hessian_estimate(lambda p: np.cos(p[0]) + p[0] ** 2 / 2 + p[1] ** 2, [0.0, 0.0])
    assert r.value[0, 0] != 0
    assert abs(r.value[0, 0]) <= r.error[0, 0]
    assert sb.classify_critical_point(r.value) != "indeterminate"  # over-trusted
    assert sb.classify_critical_point(r) == "indeterminate"  # honest
    bowl = sb.hessian_estimate(landscapes.bowl, [0.5, -0.5])
    assert sb.classify_critical_point(bowl) == "minimum"


def test_hessian_estimate_names_a_step_below_the_spacing_of_doubles():
    """As slopebook.hessian does: at x = 1e20 a step of 1e-3 is lost in rounding."""
    with pytest.warns(sb.StepSizeWarning, match="hessian_estimate: the step h = 0.001"):
        sb.hessian_estimate(landscapes.bowl, [1e20, 1.0], h=1e-3)
