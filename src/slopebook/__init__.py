"""slopebook: derivatives and gradients for machine learning, the routines behind the book.

The finite-difference routines live at the top level; the same quantities by torch
autograd live in :mod:`slopebook.autodiff`. Jacobians are ``(m, n)``: rows are outputs.

``import slopebook`` loads numpy only. The submodules are loaded on first use (PEP 562,
as scipy does): ``slopebook.autodiff``, ``deepnets`` and ``slices`` bring in torch,
``slopebook.plotting`` and ``animation`` bring in matplotlib. The landscapes, activations
and layers work on numpy arrays without torch, and on tensors once torch is in use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # what the lazy loader below gives, spelled out for type checkers
    from slopebook import (
        activations,
        animation,
        autodiff,
        backprop,
        deepnets,
        descent,
        landscapes,
        layers,
        plotting,
        rules,
        slices,
        study,
    )

__version__ = "0.1.0"

#: The public submodules, imported by :func:`__getattr__` the first time they are named.
#: Each is also in ``__all__`` and in the ``TYPE_CHECKING`` import above (a test checks).
_SUBMODULES = frozenset(
    {
        "activations",
        "animation",
        "autodiff",
        "backprop",
        "deepnets",
        "descent",
        "landscapes",
        "layers",
        "plotting",
        "rules",
        "slices",
        "study",
    }
)

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
    "backprop",
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


def __getattr__(name: str) -> Any:
    """Import a public submodule the first time it is named (``slopebook.plotting``)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"slopebook.{name}")
    msg = f"module 'slopebook' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(__all__)
