"""Shared fixtures.

``chapter(name)`` gives the built book's view of one chapter (tests/book.py). ``server`` and
``browser`` serve the built book on 127.0.0.1 and drive Debian's Chromium: one of each for the
whole session, because Playwright's sync API cannot be started a second time while one
instance is running (tests/test_browser.py and tests/test_stepper.py share them).
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
