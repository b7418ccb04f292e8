"""No page of the built book speaks about how the book was made.

Readers see only the book. Words about where its material came from or how the work on it
was organised ("the seed blog post", "source notes", "issue #12", "the targets slopebook
set itself", "the explainer") mean nothing to them, so every built HTML page is scanned for
them. The pattern is tested on known-bad and known-good strings first, so that a pattern
that matches nothing cannot pass for a clean book. A random-number seed (``seed=0``, "seeded
randomly", ``manual_seed``) is ordinary vocabulary and is allowed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"

# The project's check before a change is finished scans the sources for these; this test
# scans what readers get.
_PATTERNS = (
    r"\bseed (?:blog|post|document|explainer|notes?|material|text|exercise|demo|number|claim)s?\b",
    r"\bseed \d{3}\b",
    r"\bthe seeds?'?s? (?:explanation|step|claim|code|demo|post|number|exercise|text)s?\b",
    r"\bsource (?:notes|material)\b",
    r"\bthis book's (?:sources?|notes)\b",
    r"\bissue ?#\s?\d+",
    r"\bissue \d+\b",
    r"\b(?:numerics|reader|foundation|gallery|build|teaching) issue\b",
    r"\btargets? (?:slopebook|we) set\b",
    r"\bthe (?:blog )?post (?:says|claims|writes|states)\b",
    r"\bthe blog post\b",
    r"\bthe explainer\b",
)
PRODUCTION_WORDS = re.compile("|".join(_PATTERNS), re.IGNORECASE)

BAD = [
    "the experiment of exercise 1 in the seed blog post",
    "The seed's explanation is off.",
    "the seed's step h = 1e-4",
    "Many tutorials (and this book's source notes) say",
    "The source notes for this chapter go further",
    "(seed 003, exercise 3)",
    "a docstring about the numerics issue",
    "checks it against the targets slopebook set itself",
    "as the blog post claims",
    "the explainer says so",
    "see issue #12",
    "fixed in issue 13",
]
GOOD = [
    "seed=0",
    "torch.manual_seed(0)",
    "a seeded batch of data",
    "randomness is seeded: np.random.default_rng(seed)",
    "for seed in (1, 2): print(f'seed {seed}: loss')",
    "the package sources changed",
    "the targets are sin(x1 + x2)",
    "a squared error against a target t",
    "an open issue of numerical analysis",
]


@pytest.mark.parametrize("text", BAD)
def test_pattern_catches_production_vocabulary(text: str) -> None:
    assert PRODUCTION_WORDS.search(text), text


@pytest.mark.parametrize("text", GOOD)
def test_pattern_allows_ordinary_words(text: str) -> None:
    assert not PRODUCTION_WORDS.search(text), PRODUCTION_WORDS.search(text)


class _Text(HTMLParser):
    """The text a reader can see or hear: element text and alt/title/aria-label values."""

    SKIP = frozenset({"script", "style"})
    ATTRS = ("alt", "title", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        self.parts += [v for k, v in attrs if k in self.ATTRS and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def leaks(root: Path) -> list[str]:
    """``page: "…context…"`` for every match of the pattern in the pages under ``root``."""
    found = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root)
        if rel.parts[0] in {"_static", "_sources", "_images", "_downloads"}:
            continue
        if rel.name in {"search.html", "genindex.html", "py-modindex.html"}:
            continue
        text = visible_text(path.read_text(encoding="utf-8"))
        for m in PRODUCTION_WORDS.finditer(text):
            found.append(f'{rel}: "…{text[max(0, m.start() - 60) : m.end() + 40]}…"')
    return found


def test_scanner_finds_a_leak_in_a_page(tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "bad.html").write_text(
        "<html><body><p>As <em>the seed</em> blog post says, ok.</p>"
        '<img alt="drawn after the source notes"><script>var seed = "seed notes";</script>'
        "</body></html>"
    )
    (tmp_path / "chapters" / "good.html").write_text("<p>rng = default_rng(seed=0)</p>")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "macro.html").write_text("<p>the blog post</p>")
    found = leaks(tmp_path)
    assert len(found) == 2, found
    assert all(f.startswith("chapters/bad.html") for f in found)


@pytest.mark.skipif(
    not (BUILD / "index.html").is_file(), reason="book not built: run nox -s docs first"
)
def test_built_book_has_no_production_vocabulary() -> None:
    pages = [p for p in BUILD.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 20, "the build looks incomplete"
    found = leaks(BUILD)
    assert not found, "production vocabulary on pages readers see:\n" + "\n".join(found)
