"""The gallery's shape: its sections, and every demo written as a lesson.

Each demo, downloaded from the built site, runs on its own in tests/build/test_downloads.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMOS = sorted((ROOT / "gallery").glob("**/plot_*.py"))


def test_the_gallery_has_its_demos():
    sections = {p.parent.name for p in DEMOS}
    assert {"one_variable", "many_variables", "training"} <= sections
    assert len(DEMOS) >= 9
    for section in sections:
        assert (ROOT / "gallery" / section / "GALLERY_HEADER.rst").is_file()


@pytest.mark.parametrize("demo", DEMOS, ids=[f"{p.parent.name}/{p.name}" for p in DEMOS])
def test_demo_shape(demo):
    """A title docstring, text-and-code cells, the book's style, and slopebook imports."""
    text = demo.read_text(encoding="utf-8")
    assert text.startswith('"""\n'), "the demo must open with its title docstring"
    title, underline = text.splitlines()[1:3]
    assert set(underline) == {"="}
    assert len(underline) >= len(title)
    assert text.count("\n# %%\n") >= 2, "a demo reads as a lesson: several # %% text cells"
    assert "import slopebook" in text or "from slopebook" in text
    assert "use_style()" in text
    if "random" in text or "rng" in text:
        assert "default_rng(" in text or "manual_seed(" in text, "randomness must be seeded"
