"""Each named NumericalWarning fires where it should, and stays silent where it should not.

pytest runs with filterwarnings=error, so every call below that is not wrapped in
pytest.warns would fail the test if it warned.
"""

from __future__ import annotations

import numpy as np
import pytest

import slopebook as sb
from slopebook import landscapes


def relu(x):
    return np.maximum(x, 0)


XS = np.linspace(-np.pi, np.pi, 41)


def test_the_family():
    for w in (
        sb.StepSizeWarning,
        sb.KinkWarning,
        sb.NonAnalyticWarning,
        sb.NonFiniteWarning,
        sb.PrecisionWarning,
    ):
        assert issubclass(w, sb.NumericalWarning)
    assert issubclass(sb.NumericalWarning, UserWarning)


# -- smooth calls are silent -------------------------------------------------------------------


@pytest.mark.parametrize("method", sb.METHODS)
def test_smooth_calls_are_silent(method):
    for f in (np.sin, np.cos, np.exp, np.tanh, lambda x: x**3):
        sb.derivative(f, XS, method=method)
    sb.derivative(np.cos, 0.0)  # zero derivative, not a kink
    sb.derivative(np.sin, np.pi / 2)
    sb.derivative(relu, [-1.0, 2.0])  # a kink far away is no kink
    sb.derivative(np.sin, XS, h=1e-13)  # round-off-dominated, but no resolution problem
    for x in (np.ones(5), np.zeros(5), np.linspace(-1, 1, 5)):  # minimum, saddle-ish, generic
        sb.gradient(landscapes.rosenbrock, x, method=method, check_kinks=True)


def test_smooth_estimates_and_hessians_are_silent():
    sb.derivative_estimate(np.sin, XS)
    sb.derivative_estimate(np.cos, 0.0)
    sb.hessian(landscapes.rosenbrock, np.ones(4))
    sb.hessian_estimate(landscapes.rosenbrock, np.zeros(4))
    sb.jacobian(lambda p: np.array([p[0] * p[1], np.sin(p[0])]), [0.0, 0.0])


# -- StepSizeWarning ---------------------------------------------------------------------------


def test_step_below_spacing_of_doubles():
    with pytest.warns(sb.StepSizeWarning, match="below the spacing of doubles"):
        sb.derivative(np.sin, 1e8, h=1e-10)
    with pytest.warns(sb.StepSizeWarning, match="below the spacing"):
        sb.gradient(landscapes.bowl, [1e9, 1.0], h=1e-10)
    with pytest.warns(sb.StepSizeWarning, match="below the spacing"):
        sb.hessian(landscapes.bowl, [1e9, 1.0], h=1e-10)
    sb.derivative(np.sin, 1.0, h=1e-10)  # fine at 1


def test_sine_at_1e20_is_not_silently_zero():
    with pytest.warns(sb.StepSizeWarning, match="shorter than the step"):
        sb.derivative(np.sin, 1e20)
    with pytest.warns(sb.StepSizeWarning, match="no error bound"):
        r = sb.derivative_estimate(np.sin, 1e20)
    assert not r.success
    assert r.error == np.inf
    # The complex step is exact there: no warning, the right answer.
    assert sb.derivative(np.sin, 1e20, method="complex") == pytest.approx(np.cos(1e20))
    # And a polynomial at 1e20 is fine by steps scaled with |x|.
    assert sb.derivative(lambda x: x**2, 1e20) == pytest.approx(2e20)


# -- KinkWarning -------------------------------------------------------------------------------


@pytest.mark.parametrize(("f", "left", "right"), [(relu, 0.0, 1.0), (np.abs, -1.0, 1.0)])
def test_kinks_are_named_with_both_slopes(f, left, right):
    with pytest.warns(sb.KinkWarning, match=f"left is about {left:g} and from the right about"):
        sb.derivative(f, 0.0)
    with pytest.warns(sb.KinkWarning):
        r = sb.derivative_estimate(f, 0.0)
    assert not r.success
    with pytest.warns(sb.KinkWarning, match=r"partial derivatives \[1\]"):
        sb.gradient(lambda p: p[0] ** 2 + f(p[1]), [1.0, 0.0], check_kinks=True)
    with pytest.warns(sb.KinkWarning):
        sb.jacobian(lambda p: np.array([f(p[0]), p[1]]), [0.0, 1.0], check_kinks=True)
    # Off by default: a central gradient costs exactly 2n + 1 evaluations.
    counter = sb.CallCounter(lambda p: p[0] ** 2 + f(p[1]))
    sb.gradient(counter, [1.0, 0.0])
    assert counter.calls == 5


def test_one_sided_differences_do_not_warn_at_a_kink():
    assert sb.derivative(relu, 0.0, method="forward") == 1.0
    assert sb.derivative(relu, 0.0, method="backward") == 0.0


# -- NonAnalyticWarning ------------------------------------------------------------------------


def test_complex_step_through_abs_is_caught():
    with pytest.warns(sb.NonAnalyticWarning, match="float64 values for complex input"):
        out = sb.derivative(np.abs, -2.0, method="complex")
    assert out == 0.0  # the wrong answer it would have returned silently


def test_complex_step_through_relu_at_its_kink_is_caught():
    with pytest.warns(sb.NonAnalyticWarning, match="central difference does not confirm"):
        sb.derivative(relu, 0.0, method="complex")


def test_complex_step_cast_to_real_is_caught():
    def cast(x):
        out = np.zeros(np.shape(x))
        out[...] = np.sin(x)  # numpy ComplexWarning: imaginary part discarded
        return out

    with pytest.warns(sb.NonAnalyticWarning, match="ComplexWarning"):
        sb.derivative(cast, 1.0, method="complex")
    with pytest.warns(sb.NonAnalyticWarning):
        sb.gradient(lambda p: np.abs(p).sum(), [1.0, 2.0], method="complex")


def test_real_part_only_is_caught():
    def squared_real(x):
        return np.real(x) ** 2 + 0j  # complex dtype, but the imaginary part is dropped

    with pytest.warns(sb.NonAnalyticWarning, match="does not confirm"):
        sb.derivative(squared_real, 1.5, method="complex")


# -- NonFiniteWarning --------------------------------------------------------------------------


def test_domain_edge_suggests_a_one_sided_method():
    with pytest.warns(sb.NonFiniteWarning, match="method='forward'"):
        out = sb.derivative(np.log, 1e-7)
    assert np.isnan(out)
    # The suggestion works: the forward difference stays inside the domain.
    assert sb.derivative(np.log, 1e-3, method="forward") == pytest.approx(1e3, rel=1e-4)
    with pytest.warns(sb.NonFiniteWarning):
        sb.derivative_estimate(np.log, 0.1)
    with pytest.warns(sb.NonFiniteWarning):
        sb.gradient(lambda p: np.log(p).sum(), [1e-7, 1.0])
    with pytest.warns(sb.NonFiniteWarning):
        sb.hessian(lambda p: np.log(p).sum(), [1e-5, 1.0])
    sb.derivative(np.log, 1.0)  # inside: silent


# -- PrecisionWarning --------------------------------------------------------------------------


def test_float32_says_how_much_worse_it_is():
    with pytest.warns(sb.PrecisionWarning, match=r"2\.4e-05"):
        out = sb.derivative(np.sin, np.float32(1.0))
    assert abs(out - np.cos(1.0)) > 1e-9  # really worse than float64
    with pytest.warns(sb.PrecisionWarning):
        sb.gradient(landscapes.bowl, np.array([1.0, 2.0], dtype=np.float32))
    with pytest.warns(sb.PrecisionWarning):
        sb.derivative_estimate(np.sin, np.float32(1.0))
    sb.derivative(np.sin, np.float64(1.0))


def test_warnings_point_at_the_caller():
    with pytest.warns(sb.KinkWarning) as record:
        sb.derivative(np.abs, 0.0)
    assert record[0].filename == __file__
