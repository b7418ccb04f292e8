"""Pick numpy or torch functions to match the input, so one formula serves both."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

__all__ = ["xp"]


def xp(x: Any) -> Any:
    """Return the ``torch`` module for a tensor input and ``numpy`` otherwise.

    Examples
    --------
    >>> xp(torch.ones(1)).__name__, xp(1.0).__name__
    ('torch', 'numpy')
    """
    return torch if isinstance(x, torch.Tensor) else np
