"""How docs/_ext/slopebook_parallel.py orders the pages for Sphinx's parallel read."""

from __future__ import annotations

from slopebook_tests_book import load_extension
from sphinx.util.parallel import make_chunks

parallel = load_extension("slopebook_parallel")


def _chunk_loads(order: list[str], weights: dict[str, float], nproc: int) -> list[float]:
    return [sum(weights.get(d, 0) for d in chunk) for chunk in make_chunks(order, nproc)]


def test_the_pages_that_run_code_are_shared_between_the_first_chunks():
    # The book's shape: 11 pages with code among 144, named so that they sort together.
    names = [f"api/{i:03d}" for i in range(133)]
    weights = {
        f"chapters/{c}": float(w)
        for c, w in zip("abcdefghijk", [30, 22, 19, 14, 13, 13, 12, 12, 10, 9, 6], strict=True)
    }
    names = sorted([*names, *weights])
    order = parallel.spread(names, weights, 2)
    assert sorted(order) == names  # the same pages, each once
    alphabetical = _chunk_loads(names, weights, 2)
    loads = _chunk_loads(order, weights, 2)
    assert max(alphabetical) == sum(weights.values())  # all in one chunk: one process works
    # Now the first two chunks (one per process) hold all the work, about half each.
    assert loads[0] + loads[1] == sum(weights.values())
    assert abs(loads[0] - loads[1]) <= max(weights.values()) / 2
    # The pages without code keep their order.
    assert [d for d in order if d not in weights] == [d for d in names if d not in weights]


def test_work_spills_into_later_chunks_only_when_the_first_are_full():
    names = [f"p{i}" for i in range(8)]  # two chunks of four
    weights = dict.fromkeys(names[:6], 1.0)
    order = parallel.spread(names, weights, 2)
    assert _chunk_loads(order, weights, 2) == [3.0, 3.0]
    weights = dict.fromkeys(names, 1.0)
    assert sorted(parallel.spread(names, weights, 4)) == names


def test_code_weight_counts_the_code_of_code_cells_only():
    page = "# Title\n\n```python\nnot run\n```\n\n```{code-cell} ipython3\nx = 1\ny = 2\n```\n"
    assert parallel.code_weight(page) == len("x = 1\ny = 2\n")
    assert parallel.code_weight("no code here") == 0


def test_the_examples_in_the_docstrings_hold():
    import doctest

    result = doctest.testmod(parallel)
    assert result.attempted >= 2
    assert result.failed == 0
