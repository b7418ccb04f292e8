"""Pick numpy or torch functions to match the input, so one formula serves both.

torch is never imported here: a tensor can only exist once torch is loaded, so asking
``sys.modules`` is enough, and numpy-only callers never pay for torch's import.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

__all__ = ["is_tensor", "xp"]


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a ``torch.Tensor``, without importing torch.

    Examples
    --------
    >>> is_tensor(np.ones(1))
    False
    """
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def xp(x: Any) -> Any:
    """Return the ``torch`` module for a tensor input and ``numpy`` otherwise.

    Examples
    --------
    >>> import torch
    >>> xp(torch.ones(1)).__name__, xp(1.0).__name__
    ('torch', 'numpy')
    """
    return sys.modules["torch"] if is_tensor(x) else np
