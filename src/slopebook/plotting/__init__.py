"""One figure style for the whole book, and the plots that chapters and demos share.

The style draws on an opaque white "card" with dark ink and the colour-blind-safe
Okabe-Ito palette, so a figure reads the same on the light and the dark theme (a
transparent figure with black text vanishes on a dark page). Every plotting routine
returns ``(fig, ax)`` and accepts an existing ``ax``.

The style lives in ``plotting._style``, the shared plots in ``plotting.figures`` and the
figures drawn for a single page of the book in ``plotting.book``; every name is
importable from ``slopebook.plotting``, where it is documented.
"""

from __future__ import annotations

# The examples in the plots' docstrings run in this module's namespace (doctest finds a
# function under its __module__, set below), so the names they use are imported here.
import matplotlib.pyplot as plt  # noqa: F401
import numpy as np  # noqa: F401

from slopebook.plotting._style import PALETTE, STYLE, style, use_style
from slopebook.plotting.book import (
    plot_descent_1d,
    plot_descent_path,
    plot_directional_derivatives,
    plot_gradient_norms,
    plot_grouped_bars,
    plot_loss_slice_2d,
    plot_matrix,
    plot_partial_slices,
    plot_paths_2d,
    plot_step_size_study,
)
from slopebook.plotting.figures import (
    plot_curves,
    plot_derivative_comparison,
    plot_descent_steps_1d,
    plot_error_vs_step,
    plot_gradient_field,
    plot_slope_field,
)

__all__ = [
    "PALETTE",
    "STYLE",
    "plot_curves",
    "plot_derivative_comparison",
    "plot_descent_1d",
    "plot_descent_path",
    "plot_descent_steps_1d",
    "plot_directional_derivatives",
    "plot_error_vs_step",
    "plot_gradient_field",
    "plot_gradient_norms",
    "plot_grouped_bars",
    "plot_loss_slice_2d",
    "plot_matrix",
    "plot_partial_slices",
    "plot_paths_2d",
    "plot_slope_field",
    "plot_step_size_study",
    "style",
    "use_style",
]

# Documented, cross-referenced and doctested as slopebook.plotting.<name>, wherever they
# are defined (numpy's convention): the API page of this module lists them as its own.
for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
