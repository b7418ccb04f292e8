"""slopebook: derivatives and gradients for machine learning, the routines behind the book.

The finite-difference routines live at the top level; the same quantities by torch
autograd live in :mod:`slopebook.autodiff`. Jacobians are ``(m, n)``: rows are outputs.
"""

from __future__ import annotations

from slopebook import (
    activations,
    animation,
    autodiff,
    deepnets,
    descent,
    landscapes,
    layers,
    plotting,
    rules,
    slices,
    study,
)
from slopebook.counting import CallCounter
from slopebook.curvature import classify_critical_point
from slopebook.descent import gradient_descent, gradient_descent_step, newton_step
from slopebook.estimate import (
    DerivativeEstimate,
    HessianEstimate,
    derivative_estimate,
    hessian_estimate,
)
from slopebook.finite import (
    METHODS,
    default_step,
    derivative,
    directional_derivative,
    gradient,
    hessian,
    jacobian,
)
from slopebook.numerical_warnings import (
    KinkWarning,
    NonAnalyticWarning,
    NonFiniteWarning,
    NumericalWarning,
    PrecisionWarning,
    StepSizeWarning,
)
from slopebook.study import StepSizeStudy, step_size_study

__version__ = "0.1.0"

__all__ = [
    "METHODS",
    "CallCounter",
    "DerivativeEstimate",
    "HessianEstimate",
    "KinkWarning",
    "NonAnalyticWarning",
    "NonFiniteWarning",
    "NumericalWarning",
    "PrecisionWarning",
    "StepSizeStudy",
    "StepSizeWarning",
    "__version__",
    "activations",
    "animation",
    "autodiff",
    "classify_critical_point",
    "deepnets",
    "default_step",
    "derivative",
    "derivative_estimate",
    "descent",
    "directional_derivative",
    "gradient",
    "gradient_descent",
    "gradient_descent_step",
    "hessian",
    "hessian_estimate",
    "jacobian",
    "landscapes",
    "layers",
    "newton_step",
    "plotting",
    "rules",
    "slices",
    "step_size_study",
    "study",
]
