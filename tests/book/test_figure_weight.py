"""No page of the built book carries more than 600 KB of figures.

A page's figure weight is the size of every image file its ``<img>`` tags load plus every
image inlined into the page as base64 (matplotlib's jshtml animations inline each frame).
The landscape chapter once carried 1.35 MB of them, 31 animation frames; its learning-rate
explorable draws the same runs live from a few kilobytes of script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parents[2] / "docs" / "_build" / "html"
MAX_FIGURE_BYTES = 600_000
IMG = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')
INLINE = re.compile(r"data:image/[a-z+.-]+;base64,(?:[A-Za-z0-9+/=]|\\\n)+")

if not (BUILD / "index.html").is_file():
    pytest.skip(f"no built book at {BUILD} (run: nox -s docs)", allow_module_level=True)

PAGES = sorted(
    p
    for p in BUILD.rglob("*.html")
    if not any(x.startswith("_") for x in p.relative_to(BUILD).parts[:-1])
)


def figure_bytes(page: Path) -> int:
    """Bytes of the images a page shows: linked image files and inlined base64 images."""
    html = page.read_text(encoding="utf-8")
    files = set()
    for src in IMG.findall(html):
        if src.startswith("data:"):
            continue
        target = (page.parent / src.split("?")[0]).resolve()
        assert target.is_file(), f"{page.name}: image {src} is missing from the build"
        files.add(target)
    return sum(f.stat().st_size for f in files) + sum(len(m) for m in INLINE.findall(html))


def test_no_page_carries_more_than_600_kb_of_figures() -> None:
    weights = {p.relative_to(BUILD).as_posix(): figure_bytes(p) for p in PAGES}
    heavy = {page: size for page, size in weights.items() if size > MAX_FIGURE_BYTES}
    top = sorted(weights.items(), key=lambda kv: -kv[1])[:5]
    print("heaviest pages (figure bytes):", top)
    assert weights["chapters/landscape.html"] > 0
    assert not heavy, f"pages with more than {MAX_FIGURE_BYTES:,} B of figures: {heavy}"
