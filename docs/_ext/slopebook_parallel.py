"""Parallel reading (``sphinx-build -j N``) that keeps every process busy.

Sphinx reads the pages in chunks of names that follow each other in its list, one process
per chunk, ``N`` at a time. In alphabetical order nearly every page that executes code
(the chapters) falls into one chunk, and one process runs all their notebooks while the
others parse API pages. Before reading, :func:`spread` reorders the list: the pages that run
code go, heaviest first, to whichever of the first ``N`` chunks has the least work (a later
chunk only when those are full), so the ``N`` processes finish together. A page's weight is
how long it ran in the previous build, or, for a page never run, the length of its code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.parallel import make_chunks

__all__ = ["code_weight", "setup", "spread"]

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def spread(docnames: Sequence[str], weights: Mapping[str, float], nproc: int) -> list[str]:
    """``docnames`` reordered so that Sphinx's chunks share out the ``weights``.

    Names without a weight keep their order and fill the places left over.

    >>> spread(list("abcdefgh"), {"a": 3, "b": 2, "c": 2, "d": 1}, 2)
    ['a', 'd', 'e', 'f', 'b', 'c', 'g', 'h']
    """
    sizes = [len(chunk) for chunk in make_chunks(docnames, nproc)]
    chunks: list[list[str]] = [[] for _ in sizes]
    load = [0.0] * len(sizes)
    for name in sorted((d for d in docnames if weights.get(d)), key=lambda d: -weights[d]):
        free = [i for i, size in enumerate(sizes) if len(chunks[i]) < size]
        i = min(free, key=lambda i: (i // nproc, load[i]))
        chunks[i].append(name)
        load[i] += weights[name]
    rest = iter([d for d in docnames if not weights.get(d)])
    for chunk, size in zip(chunks, sizes, strict=True):
        chunk.extend(next(rest) for _ in range(size - len(chunk)))
    return [name for chunk in chunks for name in chunk]


def code_weight(source: str) -> int:
    """Characters of code in a MyST page's ``{code-cell}`` blocks (0 for a page without).

    >>> code_weight("# T\\n```{code-cell} ipython3\\nx = 1\\n```\\ntext\\n")
    6
    """
    return sum(len(code) for code in CODE_CELL.findall(source))


def _spread_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if app.parallel <= 1 or len(docnames) <= 5:  # Sphinx reads serially then
        return
    weights: dict[str, float] = {}
    for name in docnames:
        path = Path(env.doc2path(name))
        ran = NbMetadataCollector.get_exec_data(env, name) or {}
        if ran.get("runtime"):
            weights[name] = ran["runtime"]
        elif path.suffix == ".md":  # a page never run: its code's length, as seconds
            weights[name] = code_weight(path.read_text(encoding="utf-8")) / 1000
    docnames[:] = spread(docnames, weights, app.parallel)


def setup(app: Sphinx) -> dict[str, Any]:
    """Reorder the pages before Sphinx reads them in parallel."""
    app.connect("env-before-read-docs", _spread_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
