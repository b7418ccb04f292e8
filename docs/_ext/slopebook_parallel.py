"""Parallel reading (``sphinx-build -j N``) that keeps every process busy.

Sphinx reads the pages in chunks of names that follow each other in its list, one process
per chunk, ``N`` at a time. In alphabetical order nearly every page that executes code
(the chapters) falls into one chunk, and one process runs all their notebooks while the
others parse API pages. Before reading, :func:`spread` reorders the list so that the pages
that run code are shared out between the chunks, and the chunks with most work come first:
the ``N`` processes finish at about the same time. A page's weight is how long it ran in the
previous build or, for a page never run, a guess from the length of its code.
The processes share myst-nb's cache, which is created before they start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jupyter_cache import get_cache
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.parallel import make_chunks

__all__ = ["code_weight", "setup", "spread"]

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def spread(docnames: Sequence[str], weights: Mapping[str, float], nproc: int) -> list[str]:
    """``docnames`` reordered so that Sphinx's chunks share out the ``weights``.

    The weighed names go, heaviest first, to the chunk with the least weight so far; the
    chunks are then ordered heaviest first, since the processes take them in turn as they
    free up. Names without a weight keep their order and fill the places left over.

    >>> spread(list("abcdefgh"), {"a": 3, "b": 2, "c": 2, "d": 1}, 2)
    ['a', 'd', 'e', 'f', 'b', 'c', 'g', 'h']
    """
    sizes = [len(chunk) for chunk in make_chunks(docnames, nproc)]
    groups: list[list[str]] = [[] for _ in sizes]
    load, rest = [0.0] * len(sizes), []
    for name in sorted((d for d in docnames if weights.get(d)), key=lambda d: -weights[d]):
        free = [i for i in range(len(sizes)) if len(groups[i]) < min(sizes)]
        if not free:  # more weighed names than the smallest chunk has places, times chunks
            rest.append(name)
            continue
        groups[(i := min(free, key=load.__getitem__))].append(name)
        load[i] += weights[name]
    heaviest_first = [groups[i] for i in sorted(range(len(sizes)), key=lambda i: -load[i])]
    left = iter([*rest, *(d for d in docnames if not weights.get(d))])
    chunks = [
        [*g, *(next(left) for _ in range(n - len(g)))]
        for g, n in zip(heaviest_first, sizes, strict=True)
    ]
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
    # Two processes that find no cache both create its database, and one fails ("table
    # settings already exists"): make it here first (listing its records creates it).
    get_cache(app.config.nb_execution_cache_path).list_cache_records()
    weights: dict[str, float] = {}
    for name in docnames:
        path = Path(env.doc2path(name))
        ran = NbMetadataCollector.get_exec_data(env, name) or {}
        if ran.get("runtime"):
            weights[name] = ran["runtime"]
        elif path.suffix == ".md" and (code := code_weight(path.read_text(encoding="utf-8"))):
            weights[name] = 4 + code / 1000  # seconds: a kernel's start, then ~1 ms a character
    docnames[:] = spread(docnames, weights, app.parallel)


def setup(app: Sphinx) -> dict[str, Any]:
    """Reorder the pages before Sphinx reads them in parallel."""
    app.connect("env-before-read-docs", _spread_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
