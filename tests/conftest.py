"""Shared fixtures.

``chapter(name)`` gives the built book's view of one chapter (tests/_book.py). ``server`` and
``browser`` serve the built book on 127.0.0.1 and drive Debian's Chromium: one of each for the
whole session, because Playwright's sync API cannot be started a second time while one
instance is running (tests/browser/test_browser.py and test_stepper.py share them).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

BUILD = Path(__file__).resolve().parents[1] / "docs" / "_build" / "html"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# --import-mode=importlib puts nothing on sys.path, so load tests/_book.py by its path.
_spec = importlib.util.spec_from_file_location(
    "slopebook_tests_book", Path(__file__).with_name("_book.py")
)
if _spec is None or _spec.loader is None:
    raise ImportError(Path(__file__).with_name("_book.py"))
book = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = book
_spec.loader.exec_module(book)


# Tests in these folders need the built book (book/, browser/) or build books of their own
# (build/): they carry the ``book`` marker, which the default run deselects (pyproject's
# addopts) and ``nox -s book`` selects.
BOOK_DIRS = {"book", "browser", "build"}


class _Marks(dict):
    """The names of a ``-m`` expression: ``book`` is true, every other marker false."""

    def __missing__(self, key: str) -> bool:
        return key == "book"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Do not even collect the book folders when ``-m`` deselects book tests.

    Their modules look for the built book at import (pages are parameters), which would
    report skips in a run that never meant to select them.
    """
    tests = Path(__file__).parent
    if collection_path.parent != tests or collection_path.name not in BOOK_DIRS:
        return None
    expression = config.getoption("markexpr") or ""
    if expression and not eval(expression, {"__builtins__": {}}, _Marks()):
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        path = Path(item.path)
        if tests in path.parents and path.relative_to(tests).parts[0] in BOOK_DIRS:
            item.add_marker(pytest.mark.book)


@pytest.fixture
def chapter() -> Callable[[str], book.Chapter]:
    """Load a built chapter by name; skips the test when the book is not built."""
    return book.load_chapter


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The built book on http://127.0.0.1:<free port>/ (a thread in this process)."""
    handler = functools.partial(_QuietHandler, directory=str(BUILD))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, headless, with background networking off."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not on PATH (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
