"""The ``{explorable}`` directive (docs/_ext/slopebook_explorable.py) on a two-page fixture.

tests/build/fixtures/explorable is built with myst-parser and the directive alone: the page
with an explorable gets the element, its fallback figure and its checks, and loads the kit,
the stylesheet and that explorable's script; the page without one loads none of them; a
name with no script, or checks that are not finite, fail the build with a message saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "build" / "fixtures" / "explorable"

pytest.importorskip("myst_parser")
bs4 = pytest.importorskip("bs4")


def _build(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(src), str(src / "_build")],
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "docs" / "_ext"), str(ROOT / "src")]),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("explorable") / "book"
    shutil.copytree(FIXTURE, src)
    result = _build(src)
    assert result.returncode == 0, result.stderr
    return src / "_build"


def test_explorable_element_fallback_and_checks(built: Path) -> None:
    soup = bs4.BeautifulSoup((built / "index.html").read_text(), "html.parser")
    (root,) = soup.select("div.explorable")
    assert root["data-explorable"] == "slope-secant"
    assert root["role"] == "group"
    assert root["aria-label"] == "Secant and tangent of x squared"
    assert json.loads(root["data-checks"]) == [
        {"set": {"a": 1.0, "h": 0.5}, "expect": {"secant": 2.5}},
        {"set": {"a": 0.1}, "expect": {"tangent": 0.2}, "tol": {"tangent": {"rel": 1e-15}}},
    ]
    fallback, app = root.find_all("div", recursive=False)
    assert fallback["class"] == ["explorable-fallback"]
    assert fallback.img["alt"] == "The parabola with a secant and a tangent"
    assert app["class"] == ["explorable-app"]
    assert not app.contents


def test_only_pages_with_explorables_load_their_assets(built: Path) -> None:
    def assets(page: str) -> list[str]:
        html = (built / page).read_text()
        return sorted(re.findall(r'(?:src|href)="_static/(explorables/[^"?]+)', html))

    assert assets("index.html") == [
        "explorables/explorable.css",
        "explorables/kit.js",
        "explorables/slope-secant.js",
    ]
    assert assets("plain.html") == []
    # Deferred: the kit runs before the explorable's script, both after the page is parsed.
    assert re.search(
        r'<script defer="defer" src="_static/explorables/kit.js',
        (built / "index.html").read_text(),
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{explorable} slope-secant", "{explorable} no-such-thing", "no script"),
        ("fixture_checks.cases", "fixture_checks.not_finite", "must be a finite number"),
        ("fixture_checks.cases", "cases", "must name a callable as module.function"),
    ],
)
def test_bad_explorables_fail_the_build(tmp_path: Path, old: str, new: str, message: str) -> None:
    src = tmp_path / "book"
    shutil.copytree(FIXTURE, src)
    page = src / "index.md"
    page.write_text(page.read_text().replace(old, new))
    result = _build(src)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
