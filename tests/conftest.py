"""Shared fixtures: ``chapter(name)`` gives the built book's view of one chapter (tests/book.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# --import-mode=importlib puts nothing on sys.path, so load tests/book.py by its path.
_spec = importlib.util.spec_from_file_location(
    "slopebook_tests_book", Path(__file__).with_name("book.py")
)
if _spec is None or _spec.loader is None:
    raise ImportError(Path(__file__).with_name("book.py"))
book = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = book
_spec.loader.exec_module(book)


@pytest.fixture
def chapter() -> Callable[[str], book.Chapter]:
    """Load a built chapter by name; skips the test when the book is not built."""
    return book.load_chapter
