"""classify_critical_point: signs of eigenvalues, bad input, and the Weyl error bound."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import slopebook as sb
from slopebook import autodiff, landscapes


@pytest.mark.parametrize(
    ("H", "kind"),
    [
        (landscapes.saddle_hessian(), "saddle"),
        (landscapes.bowl_hessian(), "minimum"),
        (-landscapes.bowl_hessian(), "maximum"),
        ([[3.0]], "minimum"),
        ([[2.0, 0.0], [0.0, 0.0]], "indeterminate"),
        ([[-2.0, 0.0], [0.0, 0.0]], "indeterminate"),
        (np.diag([2.0, 0.0, 0.0]), "indeterminate"),
        # Both signs: a saddle, whatever the zero eigenvalue would turn out to be.
        (np.diag([2.0, -2.0, 0.0]), "saddle"),
        # Not symmetric: classified by its symmetric part [[1, 2], [2, 1]], eigenvalues -1, 3.
        ([[1.0, 4.0], [0.0, 1.0]], "saddle"),
    ],
)
def test_classification(H, kind):
    assert sb.classify_critical_point(H) == kind


def test_seed_hessians_from_autograd_and_finite_differences():
    for fn, kind in ((landscapes.saddle, "saddle"), (landscapes.bowl, "minimum")):
        for H in (autodiff.hessian(fn, [0.0, 0.0]), sb.hessian(fn, [0.0, 0.0])):
            assert sb.classify_critical_point(H, error=1e-6) == kind


def test_rosenbrock_minimum():
    H = autodiff.hessian(landscapes.rosenbrock, np.ones(4))
    assert sb.classify_critical_point(H) == "minimum"


def test_weyl_indeterminate_case():
    """An eigenvalue smaller than the error bound could have either sign."""
    H = np.diag([2.0, 1e-9])
    assert sb.classify_critical_point(H, error=1e-6) == "indeterminate"
    assert sb.classify_critical_point(H, error=1e-10) == "minimum"
    assert sb.classify_critical_point(H) == "minimum"  # rounding alone cannot flip 1e-9
    # x² + y⁴ has a minimum the Hessian cannot see: its Hessian at 0 is diag(2, 0).
    H_fd = sb.hessian(lambda p: p[0] ** 2 + p[1] ** 4, [0.0, 0.0])
    assert sb.classify_critical_point(H_fd, error=1e-6) == "indeterminate"


def test_both_certain_signs_make_a_saddle_beside_a_doubtful_eigenvalue():
    """One eigenvalue surely up and one surely down: a saddle, whatever the third one is."""
    H = np.diag([2.0, -2.0, 1e-9])
    assert sb.classify_critical_point(H, error=1e-6) == "saddle"
    # A bound as large as a signed eigenvalue leaves only one sure sign: undecided again.
    assert sb.classify_critical_point(H, error=2.0) == "indeterminate"
    # x² − y² + z⁴ at 0: Hessian diag(2, −2, 0), a saddle, by finite differences too.
    H_fd = sb.hessian(lambda p: p[0] ** 2 - p[1] ** 2 + p[2] ** 4, [0.0, 0.0, 0.0])
    assert sb.classify_critical_point(H_fd, error=1e-6) == "saddle"


@settings(max_examples=60, deadline=None)
@given(
    eig=st.lists(st.floats(0.01, 10.0) | st.floats(-10.0, -0.01), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_verdict_survives_every_perturbation_within_the_bound(eig, seed):
    """Weyl: if the answer is not indeterminate, no perturbation of norm <= error changes it."""
    rng = np.random.default_rng(seed)
    n = len(eig)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    H = Q @ np.diag(eig) @ Q.T
    error = 0.5 * min(abs(e) for e in eig)
    kind = sb.classify_critical_point(H, error=error)
    expected = "minimum" if min(eig) > 0 else "maximum" if max(eig) < 0 else "saddle"
    assert kind == expected
    for _ in range(5):
        E = rng.standard_normal((n, n))
        E = (E + E.T) / 2
        E *= 0.999 * error / np.linalg.norm(E, 2)
        assert sb.classify_critical_point(H + E) == kind


@pytest.mark.parametrize(
    ("H", "error", "exc", "match"),
    [
        (np.zeros((2, 3)), None, ValueError, "square"),
        (np.zeros(3), None, ValueError, "square"),
        (np.zeros((0, 0)), None, ValueError, "square"),
        ([[1.0, np.nan], [np.nan, 1.0]], None, ValueError, "finite"),
        ([[1j, 0], [0, 1]], None, TypeError, "real numbers"),
        (np.eye(2), -1.0, ValueError, "error must be"),
        (np.eye(2), np.inf, ValueError, "error must be"),
        (np.eye(2), np.nan, ValueError, "error must be"),
    ],
)
def test_bad_input_is_refused(H, error, exc, match):
    with pytest.raises(exc, match=match):
        sb.classify_critical_point(H, error=error)
