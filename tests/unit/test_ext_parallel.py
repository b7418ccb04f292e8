"""How docs/_ext/slopebook_parallel.py orders the pages for Sphinx's parallel read."""

from __future__ import annotations

from slopebook_tests_book import load_extension
from sphinx.util.parallel import make_chunks

parallel = load_extension("slopebook_parallel")


def _chunk_loads(order: list[str], weights: dict[str, float], nproc: int) -> list[float]:
    return [sum(weights.get(d, 0) for d in chunk) for chunk in make_chunks(order, nproc)]


def _finish(loads: list[float], nproc: int) -> float:
    """When the last of ``nproc`` processes is done, each taking the next chunk when free."""
    busy = [0.0] * nproc
    for load in loads:
        busy[busy.index(min(busy))] += load
    return max(busy)


def test_the_pages_that_run_code_are_shared_out_and_the_processes_finish_together():
    # The book's shape: 11 pages with code among 144, named so that they sort together.
    seconds = [30, 22, 19, 14, 13, 13, 12, 12, 10, 9, 6]
    weights = {f"chapters/{c}": float(w) for c, w in zip("abcdefghijk", seconds, strict=True)}
    names = sorted([*(f"api/{i:03d}" for i in range(133)), *weights])
    order = parallel.spread(names, weights, 2)
    assert sorted(order) == names  # the same pages, each once
    total = sum(seconds)
    assert _finish(_chunk_loads(names, weights, 2), 2) == total  # one process ran them all
    loads = _chunk_loads(order, weights, 2)
    assert loads == sorted(loads, reverse=True)  # the most work is taken first
    assert _finish(loads, 2) <= total / 2 + min(seconds)
    # The pages without code keep their order.
    assert [d for d in order if d not in weights] == [d for d in names if d not in weights]


def test_chunks_keep_their_sizes_even_when_every_page_is_weighed():
    for count, nproc in [(8, 2), (30, 4), (144, 2), (7, 3)]:
        names = [f"p{i:03d}" for i in range(count)]
        for weights in ({n: 1.0 for n in names}, {n: float(i) for i, n in enumerate(names)}):
            order = parallel.spread(names, weights, nproc)
            assert sorted(order) == names
            sizes = [len(c) for c in make_chunks(order, nproc)]
            assert sizes == [len(c) for c in make_chunks(names, nproc)]
            loads = _chunk_loads(order, weights, nproc)
            assert loads == sorted(loads, reverse=True)


def test_code_weight_counts_the_code_of_code_cells_only():
    page = "# Title\n\n```python\nnot run\n```\n\n```{code-cell} ipython3\nx = 1\ny = 2\n```\n"
    assert parallel.code_weight(page) == len("x = 1\ny = 2\n")
    assert parallel.code_weight("no code here") == 0


def test_the_examples_in_the_docstrings_hold():
    import doctest

    result = doctest.testmod(parallel)
    assert result.attempted >= 2
    assert result.failed == 0
